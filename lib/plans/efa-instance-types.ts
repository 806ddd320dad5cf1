// EFA interfaces per instance type (AWS); multi-node NCCL over TCP on these runs several times slower.
export const efaInterfaces: Record<string, number> = {
  "p4d.24xlarge": 4,
  "p4de.24xlarge": 4,
  "p5.48xlarge": 32,
  "p5e.48xlarge": 32,
  "p5en.48xlarge": 16,
};

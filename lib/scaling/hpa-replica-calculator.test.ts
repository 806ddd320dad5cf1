import { describe, expect, it } from "vitest";
import { proposeForAverageValue, proposeForValue, proposeReplicas } from "./hpa-replica-calculator";

// replica_calculator.go, GetExternalPerPodMetricReplicas (AverageValue):
//   usageRatio = usage / (targetUsagePerPod * statusReplicas)
//   if |1 - usageRatio| > tolerance { replicaCount = ceil(usage / targetUsagePerPod) }
describe("AverageValue proposals (queue depth, summed GPU utilization)", () => {
  it.each([
    // metric, threshold, current, expected, derivation
    [250, 100, 2, 3, "ratio 250/200 = 1.25 > 1.1: ceil(2.5) = 3"],
    [210, 100, 2, 2, "ratio 1.05 inside the tolerance: stay at 2"],
    [180, 100, 2, 2, "ratio 0.90 is exactly the tolerance edge (|1-0.9| = 0.1 is not > 0.1): stay"],
    [170, 100, 2, 2, "ratio 0.85 outside: ceil(1.7) = 2, which happens to equal current"],
    [150, 100, 4, 2, "ratio 150/400 = 0.375: ceil(1.5) = 2, independent of the current 4"],
    [0, 100, 3, 0, "no load: ceil(0) = 0 (min replicas is applied later)"],
    [460, 80, 5, 6, "GPU utilization summed over 5 replicas (92 % each): ratio 1.15: ceil(5.75) = 6"],
  ])("metric %d / threshold %d at %d replicas -> %d (%s)", (metric, threshold, current, expected) => {
    expect(proposeForAverageValue(metric, threshold, current)).toBe(expected);
  });
});

// GetExternalMetricReplicas (Value) via getUsageRatioReplicaCount:
//   usageRatio = usage / target; within tolerance keep current, else ceil(usageRatio * currentReplicas);
//   from zero replicas ceil(usageRatio).
describe("Value proposals (p99 latency)", () => {
  it.each([
    [300, 200, 4, 6, "ratio 1.5: ceil(1.5 * 4) = 6"],
    [210, 200, 4, 4, "ratio 1.05 inside the tolerance: 4"],
    [100, 200, 4, 2, "ratio 0.5: ceil(2) = 2"],
    [300, 200, 0, 2, "from zero replicas: ceil(1.5) = 2"],
  ])("latency %d ms / threshold %d at %d replicas -> %d (%s)", (metric, threshold, current, expected) => {
    expect(proposeForValue(metric, threshold, current)).toBe(expected);
  });
});

it("computeReplicasForMetrics takes the largest proposal across triggers", () => {
  // queue: ceil(500/100) = 5; GPU: 160/(80*4) = 0.5 -> ceil(2) = 2; latency: 400/200 = 2 -> ceil(8) = 8.
  const proposals = [
    { metric: 500, threshold: 100, metricType: "AverageValue" as const },
    { metric: 160, threshold: 80, metricType: "AverageValue" as const },
    { metric: 400, threshold: 200, metricType: "Value" as const },
  ];
  expect(proposeReplicas(proposals, 4)).toBe(8);
  expect(proposeReplicas(proposals.slice(0, 2), 4)).toBe(5);
});

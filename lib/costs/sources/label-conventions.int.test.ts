// The same planted fleet under the label conventions real clusters have (issue 13's table), each read from a real
// Prometheus: totals equal the planted truth, or the data health names what is missing and how to fix it.
import { afterEach, assert, describe, expect, it } from "vitest";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import {
  dcgmHistory,
  type ClusterConvention,
  type PlantedGpu,
  type PlantedNode,
} from "@/test-support/prometheus/dcgm-history";
import { fetchPrometheusSamples } from "./prometheus-usage.server";
import { rollupSamples } from "@/lib/costs/rollups/allocation";
import { computeDataHealth, healthShares, type DataHealth } from "./data-health";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { labelMapping, type CustomLabelKeys, type LabelPreset } from "./label-mapping";
import { computeRecommendations } from "@/lib/costs/recommendations/recommendations";
import { priceSamples } from "@/lib/pricing/sample-prices";
import { HOUR_MS, UNALLOCATED_TEAM, type UsageRow } from "@/lib/costs/schema";

const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
const start = end - 6 * HOUR_MS;
const HOURS = 6;

// Namespaces differ from teams, so a team that fell back to its namespace shows.
const train = { namespace: "ml-train", name: "train-0", team: "vision", workloadType: "training" };
const ranker = { namespace: "ml-serving", name: "ranker-0", team: "search", workloadType: "inference" };
const etl = { namespace: "ml-batch", name: "etl-0", team: "vision", workloadType: "batch" };
const nodes: PlantedNode[] = [
  { node: "ip-10-0-2-1", instanceType: "g5.12xlarge", capacityType: "on-demand", nodePool: "train-a10g" },
  { node: "ip-10-0-2-2", instanceType: "g5.xlarge", capacityType: "spot", nodePool: "batch-spot" },
];
const gpus: PlantedGpu[] = [
  { node: "ip-10-0-2-1", gpu: "0", pod: train, utilization: () => 92, memoryUsedMiB: 20_000 },
  { node: "ip-10-0-2-1", gpu: "1", pod: train, utilization: () => 92, memoryUsedMiB: 20_000 },
  { node: "ip-10-0-2-1", gpu: "2", pod: ranker, utilization: () => 50, memoryUsedMiB: 9_000 },
  { node: "ip-10-0-2-1", gpu: "3", utilization: () => 0, memoryUsedMiB: 0 },
  { node: "ip-10-0-2-2", gpu: "0", pod: etl, utilization: () => 40, memoryUsedMiB: 3_000 },
];
const od12 = gpuHourlyRate("aws", "g5.12xlarge", "on_demand");
const spot1 = gpuHourlyRate("aws", "g5.xlarge", "spot");
const od1 = gpuHourlyRate("aws", "g5.xlarge", "on_demand");
/** The planted truth: cost and GPU-hours per team over the six hours. */
const truth = {
  vision: { gpuHours: 3 * HOURS, costUsd: HOURS * (2 * od12 + spot1) },
  search: { gpuHours: HOURS, costUsd: HOURS * od12 },
  [UNALLOCATED_TEAM]: { gpuHours: HOURS, costUsd: HOURS * od12 },
};

let prom: RunningPrometheus | undefined;
afterEach(async () => {
  await prom?.stop();
  prom = undefined;
});

async function ingest(
  convention: ClusterConvention,
  preset: LabelPreset = "auto",
  custom: CustomLabelKeys = {},
): Promise<{ rows: UsageRow[]; health: DataHealth }> {
  prom = await startPrometheus(dcgmHistory(nodes, gpus, start - HOUR_MS, end + HOUR_MS, 60_000, convention));
  const mapping = labelMapping(preset, custom);
  const { samples } = await fetchPrometheusSamples(
    { url: prom.url, allow: [new URL(prom.url).host], mapping },
    start,
    end,
  );
  const price = priceSamples(samples, "aws");
  return {
    rows: rollupSamples(samples, "prometheus", (s) => price(s).rate),
    health: computeDataHealth({ samples, price, mapping, from: start, until: end }),
  };
}

function byTeam(rows: readonly UsageRow[]): Record<string, { gpuHours: number; costUsd: number }> {
  const out: Record<string, { gpuHours: number; costUsd: number }> = {};
  for (const r of rows) {
    const t = (out[r.team] ??= { gpuHours: 0, costUsd: 0 });
    t.gpuHours += r.gpuHoursAllocated;
    t.costUsd += r.costUsd;
  }
  return out;
}

function expectTruth(rows: readonly UsageRow[]) {
  const teams = byTeam(rows);
  expect(Object.keys(teams).sort()).toEqual(Object.keys(truth).sort());
  for (const [team, t] of Object.entries(truth)) {
    expect(teams[team]!.gpuHours, team).toBeCloseTo(t.gpuHours, 6);
    expect(teams[team]!.costUsd, team).toBeCloseTo(t.costUsd, 6);
  }
  // Spot capacity is priced and labelled as spot; the training pool keeps its name.
  expect(new Set(rows.filter((r) => r.nodePool === "batch-spot").map((r) => r.capacityType))).toEqual(
    new Set(["spot"]),
  );
  expect(
    new Set(rows.filter((r) => r.team === "search").map((r) => `${r.nodePool}/${r.instanceType}/${r.workloadType}`)),
  ).toEqual(new Set(["train-a10g/g5.12xlarge/inference"]));
}

function expectAllAttributed(health: DataHealth) {
  expect(health.gpuHours).toBeCloseTo(5 * HOURS, 6);
  expect(healthShares(health)).toEqual({ team: 1, pool: 1, capacity: 1, price: 1, listPrice: 1 });
}

describe("label conventions against a real Prometheus", () => {
  it("Karpenter with honorLabels, NODE_NAME and the KSM allow-list: the planted truth and no data-health issue", async () => {
    const { rows, health } = await ingest({ nodeLabels: "karpenter" });
    expectTruth(rows);
    expectAllAttributed(health);
    expect(health.issues).toEqual([]);
  });

  it("DCGM scraped without honorLabels (exported_pod, exported_namespace): the pods' teams, and the fix named", async () => {
    const { rows, health } = await ingest({ honorLabels: false });
    expectTruth(rows);
    expectAllAttributed(health);
    expect(health.busyUnallocatedGpuHours).toBe(0);
    const exported = health.issues.find((i) => i.code === "exported-labels");
    expect(exported?.gpuHours).toBeCloseTo(4 * HOURS, 6); // the four held GPUs; the free one has no pod label at all
    expect(`${exported?.cause}: ${exported?.fix}`).toMatch(
      /^DCGM series carry `exported_pod`: set `honorLabels: true` on the DCGM exporter's ServiceMonitor/,
    );
  });

  it("kube-state-metrics scraped without honorLabels: its exported_pod read, the fix names its ServiceMonitor", async () => {
    const { rows, health } = await ingest({ ksmHonorLabels: false });
    expectTruth(rows);
    expectAllAttributed(health);
    expect(health.issues.map((i) => i.code)).toEqual(["ksm-exported-labels"]);
    const [issue] = health.issues;
    assert(issue, "no data-health issue");
    expect(issue.gpuHours).toBeCloseTo(4 * HOURS, 6); // the four held GPUs; the free one has no pod
    expect(`${issue.cause}: ${issue.fix}`).toMatch(
      /^kube-state-metrics series carry `exported_pod`: set `honorLabels: true` on kube-state-metrics' ServiceMonitor/,
    );
  });

  it("neither DCGM nor kube-state-metrics with honorLabels: both read, both ServiceMonitors named", async () => {
    const { rows, health } = await ingest({ honorLabels: false, ksmHonorLabels: false });
    expectTruth(rows);
    expect(health.issues.map((i) => i.code)).toEqual(["exported-labels", "ksm-exported-labels"]);
  });

  it("dcgm-exporter without NODE_NAME: each GPU is placed on its pod's (or exporter's) node and priced", async () => {
    const { rows, health } = await ingest({ nodeName: false });
    expectTruth(rows);
    expectAllAttributed(health);
    const issue = health.issues.find((i) => i.code === "hostname-not-node");
    expect(issue?.gpuHours).toBeCloseTo(5 * HOURS, 6);
    expect(issue?.fix).toContain("`NODE_NAME`");
  });

  it("both at once (the GPU Operator's defaults behind a ServiceMonitor): still the planted truth", async () => {
    const { rows, health } = await ingest({ nodeName: false, honorLabels: false });
    expectTruth(rows);
    expectAllAttributed(health);
  });

  it("kube-state-metrics without --metric-labels-allowlist: every GPU-hour counted and priced by its GPU model, the fix named", async () => {
    const { rows, health } = await ingest({ ksmAllowlist: false });
    const teams = byTeam(rows);
    // No team label: the namespace stands in; no instance type: the cheapest A10G type (g5.xlarge) prices each GPU.
    const a10g = gpuHourlyRate("aws", "g5.xlarge", "on_demand");
    expect(Object.fromEntries(Object.entries(teams).map(([t, v]) => [t, Math.round(v.gpuHours * 1e6) / 1e6]))).toEqual({
      "ml-train": 2 * HOURS,
      "ml-serving": HOURS,
      "ml-batch": HOURS,
      [UNALLOCATED_TEAM]: HOURS,
    });
    expect(rows.reduce((s, r) => s + r.costUsd, 0)).toBeCloseTo(5 * HOURS * a10g, 6);
    expect(rows.every((r) => r.nodePool === "unknown" && r.instanceType === "unknown")).toBe(true);
    expect(health).toMatchObject({ pricedGpuHours: 0, unpricedGpuHours: 0, poolGpuHours: 0 });
    expect(health.estimatedPriceGpuHours).toBeCloseTo(5 * HOURS, 6);
    // Only the idle, unrequested GPU is rightly nobody's: a fifth of the GPU-hours.
    expect(healthShares(health).team).toBeCloseTo(0.2, 9);
    const codes = Object.fromEntries(health.issues.map((i) => [i.code, i]));
    expect(Object.keys(codes).sort()).toEqual([
      "capacity-unknown",
      "instance-type-missing",
      "pool-label-missing",
      "price-estimated",
      "team-label-missing",
    ]);
    expect(codes["team-label-missing"]!.gpuHours).toBeCloseTo(4 * HOURS, 6);
    expect(`${codes["team-label-missing"]!.cause}: ${codes["team-label-missing"]!.fix}`).toMatch(
      /^pods have no `label_team`: start kube-state-metrics with `--metric-labels-allowlist=pods=\[team,workload-type\]`/,
    );
    expect(codes["instance-type-missing"]!.fix).toContain("node.kubernetes.io/instance-type");
    expect(codes["price-estimated"]!.cause).toContain("priced as g5.xlarge");
  });

  it.each<[string, ClusterConvention["nodeLabels"], LabelPreset]>([
    ["GKE", "gke", "gke"],
    ["GKE, detected", "gke", "auto"],
    ["AKS", "aks", "aks"],
    ["AKS, detected", "aks", "auto"],
    ["EKS managed node groups", "eks", "eks"],
  ])("%s node labels: pools and spot capacity read, spot priced as spot", async (_name, nodeLabels, preset) => {
    const { rows, health } = await ingest({ nodeLabels }, preset);
    expectTruth(rows);
    expectAllAttributed(health);
  });

  it.each<[string, ClusterConvention["nodeLabels"]]>([
    ["Karpenter", "karpenter"],
    ["EKS managed node groups", "eks"],
    ["AKS", "aks"],
  ])(
    "%s nodes without the capacity label: capacity unknown, priced on demand, the fix named, no spot advice",
    async (_name, nodeLabels) => {
      const { rows, health } = await ingest({ nodeLabels, capacityLabel: false });
      expect(new Set(rows.map((r) => r.capacityType))).toEqual(new Set(["unknown"]));
      // The spot node is not priced as spot: the on-demand rate is the bound a reader can trust.
      expect(byTeam(rows).vision!.costUsd).toBeCloseTo(HOURS * (2 * od12 + od1), 6);
      expect(healthShares(health).capacity).toBe(0);
      const issue = health.issues.find((i) => i.code === "capacity-unknown");
      expect(issue?.gpuHours).toBeCloseTo(5 * HOURS, 6);
      expect(issue?.fix).toMatch(
        /`nodes=\[[^\]]*capacity[^\]]*\]` to kube-state-metrics' `--metric-labels-allowlist`/i,
      );
      // A batch workload on a node of unknown capacity may already be on spot: advising spot could be advice to do nothing.
      const recs = computeRecommendations({ rows, now: end, cloud: "aws", windowDays: 1 });
      expect(recs.filter((r) => r.category === "spot")).toEqual([]);
    },
  );

  it("Karpenter nodes without the capacity label name Karpenter's label in the cause", async () => {
    const { health } = await ingest({ capacityLabel: false }, "karpenter");
    const issue = health.issues.find((i) => i.code === "capacity-unknown");
    expect(`${issue?.cause}: ${issue?.fix}`).toMatch(
      /^nodes have no `label_karpenter_sh_capacity_type`: .*add `nodes=\[karpenter\.sh\/nodepool,karpenter\.sh\/provisioner-name,karpenter\.sh\/capacity-type,/,
    );
  });

  it("GKE nodes without a spot label are on demand (GKE labels only spot nodes): no capacity issue", async () => {
    const { rows, health } = await ingest({ nodeLabels: "gke", capacityLabel: false }, "gke");
    expect(new Set(rows.map((r) => r.capacityType))).toEqual(new Set(["on_demand"]));
    expect(health.issues).toEqual([]);
  });

  it("kubeadm with the node keys and a camelCase team key from Settings, named as kube-state-metrics names them", async () => {
    const { rows, health } = await ingest({ nodeLabels: "kubeadm", teamLabelColumn: "label_team_name" }, "kubeadm", {
      teamKey: "teamName",
      nodePoolKey: "pool",
      capacityTypeKey: "capacity",
    });
    expectTruth(rows);
    expectAllAttributed(health);
  });

  it("a team key Settings does not name leaves teams to namespaces, and says so", async () => {
    const { health } = await ingest({ teamLabelColumn: "label_team_name" });
    expect(health.issues.map((i) => i.code)).toEqual(["team-label-missing"]);
  });
});

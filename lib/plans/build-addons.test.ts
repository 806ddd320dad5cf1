// The DCGM exporter lands on every GPU node of the plan and on no other node: judged against the nodes each cloud
// builds from the plan's pools (their labels, the labels the cloud adds, every taint).
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { addonReleases } from "./build-addons";
import { buildPlanContext, isGpuPool, poolTaints } from "./plan-context";
import { planInputSchema, type PlanInputDraft } from "./schema";
import { viabilityFactsFor } from "./viability/plan-facts";

interface Node {
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
}
interface Expr {
  key: string;
  operator: string;
  values?: string[];
}
interface DcgmValues {
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: Expr[] }[] };
    };
  };
  tolerations: { key?: string; operator: string; value?: string; effect?: string }[];
  extraHostVolumes?: { hostPath: string }[];
}

function schedules(values: DcgmValues, node: Node): boolean {
  const terms = values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
  const matches = terms.some((t) =>
    t.matchExpressions.every((e) =>
      e.operator === "Exists" ? e.key in node.labels : (e.values ?? []).includes(node.labels[e.key] ?? "\0"),
    ),
  );
  const tolerated = node.taints
    .filter((t) => t.effect !== "PreferNoSchedule")
    .every((t) =>
      values.tolerations.some(
        (o) =>
          (!o.effect || o.effect === t.effect) &&
          (o.operator === "Exists" ? !o.key || o.key === t.key : o.key === t.key && o.value === t.value),
      ),
    );
  return matches && tolerated;
}

function setup(draft: PlanInputDraft) {
  const input = planInputSchema.parse(draft);
  const ctx = buildPlanContext(input);
  const dcgm = addonReleases(ctx).find((r) => r.name === "dcgm-exporter");
  const nodes = input.node_pools.map((pool) => {
    const gpu = isGpuPool(input, pool);
    const labels: Record<string, string> = { ...pool.labels };
    if (input.cloud_provider === "gcp" && gpu)
      labels["cloud.google.com/gke-accelerator"] = lookupPrice("gcp", pool.instance_type)?.gpuType ?? "gpu";
    return { gpu, node: { labels, taints: poolTaints(input, pool) } };
  });
  return { input, ctx, values: parse(dcgm?.values_yaml ?? "null") as DcgmValues | null, nodes };
}

// On premises the GPU Operator's exporter serves (plan-review-fixes.test.ts): the plan installs none.
const clouds = ["aws", "gcp", "azure"] as const;
const foreign: Node = {
  labels: { "workload-type": "inference" },
  taints: [{ key: "dedicated", value: "database", effect: "NoSchedule" }],
};

describe("DCGM exporter placement", () => {
  it.each(clouds)("%s: runs on every GPU pool's nodes and on none of the CPU pools'", (cloud) => {
    const { values, nodes } = setup({
      infrastructure_task: "cluster_setup",
      cloud_provider: cloud,
      workload_type: "inference",
    });
    expect(values).not.toBeNull();
    const gpuNodes = nodes.filter((n) => n.gpu);
    const cpuNodes = nodes.filter((n) => !n.gpu);
    expect(gpuNodes.length).toBeGreaterThan(0);
    expect(cpuNodes.length).toBeGreaterThan(0);
    for (const n of gpuNodes) expect(schedules(values!, n.node)).toBe(true);
    for (const n of cpuNodes) expect(schedules(values!, n.node)).toBe(false);
  });

  it.each(clouds)("%s: tolerates only GPU and spot taints, not every taint", (cloud) => {
    const { values } = setup({
      infrastructure_task: "cluster_setup",
      cloud_provider: cloud,
      workload_type: "training",
    });
    expect(values!.tolerations.every((t) => t.key !== undefined)).toBe(true);
    expect(schedules(values!, foreign)).toBe(false);
  });

  it("tolerates AKS's spot taint on a spot GPU pool", () => {
    const { values, nodes } = setup({
      infrastructure_task: "cluster_setup",
      cloud_provider: "azure",
      workload_type: "training",
    });
    const spot = nodes.find(
      (n) => n.gpu && n.node.taints.some((t) => t.key === "kubernetes.azure.com/scalesetpriority"),
    );
    expect(spot).toBeDefined();
    expect(schedules(values!, spot!.node)).toBe(true);
  });

  it("GKE: mounts the driver from /home/kubernetes/bin/nvidia; elsewhere it is on the host's path", () => {
    expect(
      setup({ infrastructure_task: "cluster_setup", cloud_provider: "gcp", workload_type: "inference" }).values!
        .extraHostVolumes,
    ).toEqual([{ name: "nvidia-install-dir-host", hostPath: "/home/kubernetes/bin/nvidia" }]);
    expect(
      setup({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "inference" }).values!
        .extraHostVolumes,
    ).toBeUndefined();
  });

  it("counts DCGM as scraped where the plan installs it or the cluster must bring it (on premises)", () => {
    const facts = (draft: PlanInputDraft) => viabilityFactsFor(setup(draft).ctx).scrapedExporters;
    expect(facts({ infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "inference" })).toEqual([
      "dcgm",
    ]);
    expect(
      facts({ infrastructure_task: "security_hardening", cloud_provider: "aws", workload_type: "inference" }),
    ).toEqual([]);
    expect(
      facts({ infrastructure_task: "security_hardening", cloud_provider: "on_premise", workload_type: "inference" }),
    ).toEqual(["dcgm"]);
  });
});

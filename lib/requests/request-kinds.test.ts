import { describe, expect, it } from "vitest";
import { planInputSchema } from "@/lib/plans/schema";
import { estimateCost } from "@/lib/plans/estimate-cost";
import { kindForDraft, planInputForKind } from "./request-kinds";

describe("planInputForKind", () => {
  it("an inference scaling profile brings only the inference node pool, so its cost is the inference capacity's", () => {
    const inference = planInputSchema.parse(planInputForKind("inference_scaling", {}));
    expect(inference.node_pools.map((p) => p.name)).toEqual(["inference"]);
    const everyPool = planInputSchema.parse(planInputForKind("backup_schedule", { workload_type: "inference" }));
    const withTraining = { ...inference, node_pools: everyPool.node_pools };
    expect(estimateCost(inference).totals.expected).toBeLessThan(estimateCost(withTraining).totals.expected);
    const cluster = planInputSchema.parse(planInputForKind("gpu_cluster", {}));
    expect(cluster.node_pools.map((p) => p.name)).toEqual(["cpu-training", "gpu-training"]);
  });

  it("a GPU cluster's default pools are those of its workload: an inference cluster brings no training pools", () => {
    const cluster = planInputSchema.parse(planInputForKind("gpu_cluster", { workload_type: "inference" }));
    expect(cluster.node_pools.map((p) => p.name)).toEqual(["inference"]);
    const backups = planInputSchema.parse(planInputForKind("backup_schedule", {}));
    expect(backups.node_pools.map((p) => p.name)).toEqual(["cpu-training", "gpu-training", "inference"]);
  });

  it("keeps node pools the requester chose", () => {
    const custom = [{ name: "serving", instance_type: "g5.2xlarge", min_nodes: 1, max_nodes: 4 }];
    const input = planInputSchema.parse(planInputForKind("inference_scaling", { node_pools: custom }));
    expect(input.node_pools.map((p) => p.name)).toEqual(["serving"]);
  });

  it("forces the kind's task and fixed workload over what was sent", () => {
    const draft = planInputForKind("training_job", {
      infrastructure_task: "security_hardening",
      workload_type: "inference",
    });
    expect(draft).toMatchObject({ infrastructure_task: "cluster_setup", workload_type: "training" });
  });
});

describe("kindForDraft", () => {
  it.each([
    [{ infrastructure_task: "cost_optimization", workload_type: "training" }, "node_pool"],
    [{ infrastructure_task: "cost_optimization", workload_type: "inference" }, "inference_scaling"],
    [{ infrastructure_task: "auto_scaling", workload_type: "batch" }, "node_pool"],
    [{ infrastructure_task: "cluster_setup", workload_type: "training" }, "training_job"],
    [{ infrastructure_task: "cluster_setup", workload_type: "inference" }, "gpu_cluster"],
    [{ infrastructure_task: "disaster_recovery" }, "backup_schedule"],
    [{ infrastructure_task: "security_hardening" }, "security_baseline"],
  ])("%j opens as %s", (draft, kind) => {
    expect(kindForDraft(draft)).toBe(kind);
  });
});

import { describe, expect, it } from "vitest";
import { estimateCost } from "@/lib/plans/estimate-cost";
import { planInputSchema } from "@/lib/plans/schema";
import { worstCaseNote } from "./cost-notes";

// An inference plan that still carries the training pools: gpu-training (p4d, 0 to 20) is not the workload's pool.
const input = planInputSchema.parse({
  infrastructure_task: "auto_scaling",
  workload_type: "inference",
  cloud_provider: "aws",
});

describe("the worst case of a pool the workload does not use", () => {
  const cost = estimateCost(input);
  const gpuTraining = cost.node_pools.find((p) => p.node_pool === "gpu-training");

  it("is priced at the pool's max_nodes, not its floor: the autoscaler may grow it that far", () => {
    expect(gpuTraining?.scenarios.expected.nodes).toBe(0);
    expect(gpuTraining?.scenarios.maximum.nodes).toBe(20);
    expect(gpuTraining?.scenarios.maximum.monthly).toBeGreaterThan(0);
    expect(cost.totals.maximum).toBeGreaterThanOrEqual(gpuTraining?.scenarios.maximum.monthly ?? Infinity);
  });

  it("says so in the pool's row; the workload's own pool gets no such note", () => {
    expect(gpuTraining && worstCaseNote(cost, gpuTraining)).toMatch(
      /^Worst case: the autoscaler may grow it to 20 nodes \(\$[\d,]+\/month\)\.$/,
    );
    const inference = cost.node_pools.find((p) => p.node_pool === "inference");
    expect(inference && worstCaseNote(cost, inference)).toBeNull();
  });
});

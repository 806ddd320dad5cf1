// @vitest-environment happy-dom
import { render, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { estimateCost } from "@/lib/plans/estimate-cost";
import { planInputSchema } from "@/lib/plans/schema";
import { CostSummary } from "./cost-summary";

// EKS inference on a spot pool with a dearer fallback: Karpenter may run the fallback type, on demand.
const input = planInputSchema.parse({
  infrastructure_task: "cluster_setup",
  cloud_provider: "aws",
  workload_type: "inference",
  scale_requirements: { min_replicas: 1, max_replicas: 8, target_gpu_utilization: 0.8 },
  node_pools: [
    {
      name: "inference",
      instance_type: "g5.xlarge",
      fallback_instance_types: ["g5.2xlarge"],
      capacity_type: "spot",
      min_nodes: 1,
      max_nodes: 10,
      labels: { "workload-type": "inference" },
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
    },
  ],
});

describe("the cost table", () => {
  it("shows, for each figure, the instance type, capacity and hourly price it is computed from", () => {
    const cost = estimateCost(input);
    const pool = cost.node_pools[0]!;
    const { container } = render(<CostSummary cost={cost} />);
    const table = within(within(container).getByTestId("cost-pools"));
    const expected = table.getByTestId("pool-expected").textContent!;
    const worst = table.getByTestId("pool-maximum").textContent!;
    expect(expected).toContain(`${pool.scenarios.expected.nodes} × g5.xlarge (spot) × `);
    expect(worst).toContain(
      `${pool.scenarios.maximum.nodes} × ${pool.scenarios.maximum.priced_at.instance_type} (on-demand) × `,
    );
    expect(pool.scenarios.maximum.priced_at.instance_type).toBe("g5.2xlarge");
  });

  it("shows each hourly price with all its digits, so nodes × price × hours gives the figure to the cent", () => {
    const cost = estimateCost(input);
    const { container } = render(<CostSummary cost={cost} />);
    for (const key of ["minimum", "expected", "maximum"] as const) {
      const text = within(within(container).getByTestId("cost-pools")).getByTestId(`pool-${key}`).textContent!;
      const m = /^\$([\d,]+\.\d{2})(\d+) × \S+ \([a-z-]+\) × \$([\d.]+)\/h × (\d+) h/.exec(text);
      expect(m, text).not.toBeNull();
      const [, monthly, nodes, hourly, hours] = m!;
      expect(Math.round(Number(nodes) * Number(hourly) * Number(hours) * 100) / 100).toBe(
        Number(monthly!.replace(/,/g, "")),
      );
    }
  });

  it("still shows a plan stored before figures named their price, with its node counts", () => {
    const cost = estimateCost(input);
    for (const p of cost.node_pools)
      for (const sc of Object.values(p.scenarios)) delete (sc as { priced_at?: unknown }).priced_at;
    const { container } = render(<CostSummary cost={cost} />);
    expect(within(container).getByTestId("pool-maximum").textContent).toContain(
      `${cost.node_pools[0]!.scenarios.maximum.nodes} nodes`,
    );
  });
});

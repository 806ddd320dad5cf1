import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planInputSchema } from "@/lib/plans/schema";
import { computeRecommendations } from "./recommendations";
import { NOW, plantRows } from "./planted-fleet.test-helper";

const instanceTypes = ["g5.xlarge", "g6.xlarge", "p4d.24xlarge", "g5.12xlarge"] as const;
const workloads = ["inference", "training", "batch"] as const;

describe("recommendations on random fleets", () => {
  it("never promise more than a workload costs, and always carry a valid request draft", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            instanceType: fc.constantFrom(...instanceTypes),
            workloadType: fc.constantFrom(...workloads),
            capacityType: fc.constantFrom("on_demand" as const, "spot" as const),
            gpus: fc.integer({ min: 1, max: 8 }),
            base: fc.integer({ min: 0, max: 95 }),
            swing: fc.integer({ min: 0, max: 60 }),
            memoryGiB: fc.integer({ min: 1, max: 70 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (pools) => {
          const rows = plantRows(
            pools.map((p, i) => ({
              team: `team-${i}`, nodePool: `pool-${i}`, instanceType: p.instanceType, workloadType: p.workloadType, capacityType: p.capacityType,
              gpus: p.gpus, days: 15, memoryGiB: p.memoryGiB,
              utilization: (ts: number) => Math.min(100, p.base + (new Date(ts).getUTCHours() < 12 ? p.swing : 0)),
            })),
          );
          for (const r of computeRecommendations({ rows, now: NOW, cloud: "aws" })) {
            expect(r.projectedSavingsUsd, r.title).toBeGreaterThan(0);
            expect(r.projectedSavingsUsd, r.title).toBeLessThanOrEqual(r.currentMonthlyUsd + 0.01);
            expect(planInputSchema.safeParse(r.requestDraft).success, r.title).toBe(true);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});

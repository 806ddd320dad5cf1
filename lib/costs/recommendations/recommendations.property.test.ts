import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planInputSchema } from "@/lib/plans/schema";
import { hoursPerMonth } from "@/lib/pricing/gpu-rates";
import { workloadKey, type ComputedRecommendation } from "./recommendation-types";
import { computeRecommendations } from "./recommendations";
import { NOW, plantRows, type Plant } from "@/lib/costs/planted-fleet.test-helper";
import { DAY_MS, HOUR_MS, UNALLOCATED_TEAM, type UsageRow } from "@/lib/costs/schema";

const instanceTypes = ["g5.xlarge", "g6.xlarge", "p4d.24xlarge", "g5.12xlarge"] as const;
const workloads = ["inference", "training", "batch"] as const;
/** When a pool runs: always, or with gaps (stopped half-way, weekdays only, daytime only), sometimes restarted just before now. */
const schedules = ["always", "first-half", "weekdays", "daytime"] as const;

function runs(schedule: (typeof schedules)[number], days: number, restart: boolean, ts: number): boolean {
  if (restart && ts >= NOW - HOUR_MS) return true;
  const d = new Date(ts);
  if (schedule === "first-half") return ts < NOW - (days / 2) * DAY_MS;
  if (schedule === "weekdays") return d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
  if (schedule === "daytime") return d.getUTCHours() >= 8 && d.getUTCHours() < 20;
  return true;
}

/** What the named resources cost a month on average, from their own rows: first to last row, hours without rows at zero. */
function monthlyCostOf(
  rec: ComputedRecommendation,
  rows: readonly UsageRow[],
  counted: (r: UsageRow) => boolean = () => true,
): number {
  const named = new Set(rec.resources.map(workloadKey));
  const mine = rows.filter((r) => named.has(workloadKey(r)));
  const span = (Math.max(...mine.map((r) => r.hour)) - Math.min(...mine.map((r) => r.hour))) / HOUR_MS + 1;
  return (mine.reduce((s, r) => s + (counted(r) ? r.costUsd : 0), 0) / span) * hoursPerMonth("aws");
}

/** Monthly cost of rows over their own span. */
function poolCostOf(rows: readonly UsageRow[]): number {
  const span = (Math.max(...rows.map((r) => r.hour)) - Math.min(...rows.map((r) => r.hour))) / HOUR_MS + 1;
  return (rows.reduce((s, r) => s + r.costUsd, 0) / span) * hoursPerMonth("aws");
}

describe("recommendations on random fleets", () => {
  it("never promise more than what they act on costs, gaps in the data included, and always carry a valid request draft", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            instanceType: fc.constantFrom(...instanceTypes),
            workloadType: fc.constantFrom(...workloads),
            capacityType: fc.constantFrom("on_demand" as const, "spot" as const),
            gpus: fc.integer({ min: 1, max: 8 }),
            unallocatedGpus: fc.integer({ min: 0, max: 8 }),
            // GPUs no pod requests are mostly idle, but busy ones happen (pod labels the join cannot match).
            unallocatedUtilization: fc.constantFrom(0, 0, 2, 50, 92),
            base: fc.integer({ min: 0, max: 95 }),
            swing: fc.integer({ min: 0, max: 60 }),
            memoryGiB: fc.integer({ min: 1, max: 70 }),
            days: fc.constantFrom(15, 29),
            schedule: fc.constantFrom(...schedules),
            restart: fc.boolean(),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (pools) => {
          const rows = plantRows(
            pools.flatMap((p, i): Plant[] => {
              const pool = {
                nodePool: `pool-${i}`,
                instanceType: p.instanceType,
                capacityType: p.capacityType,
                days: p.days,
              };
              const on = (ts: number) => runs(p.schedule, p.days, p.restart, ts);
              return [
                {
                  ...pool,
                  team: `team-${i}`,
                  workloadType: p.workloadType,
                  memoryGiB: p.memoryGiB,
                  gpus: (ts: number) => (on(ts) ? p.gpus : 0),
                  utilization: (ts: number) => Math.min(100, p.base + (new Date(ts).getUTCHours() < 12 ? p.swing : 0)),
                },
                // GPUs on the pool's nodes that no pod requested, while the pool runs.
                {
                  ...pool,
                  team: UNALLOCATED_TEAM,
                  workloadType: "none",
                  memoryGiB: 0,
                  gpus: (ts: number) => (on(ts) ? p.unallocatedGpus : 0),
                  utilization: () => p.unallocatedUtilization,
                },
              ];
            }),
          );
          for (const r of computeRecommendations({ rows, now: NOW, cloud: "aws" })) {
            expect(r.projectedSavingsUsd, r.title).toBeGreaterThan(0);
            expect(r.projectedSavingsUsd, r.title).toBeLessThanOrEqual(r.currentMonthlyUsd + 0.01);
            // Idle advice is measured over the last idle week and a commitment over the committed nodes; every other
            // rule's current cost is at most what its workloads cost on average over their own rows.
            // Consolidation's current cost is its whole pool's: the unallocated capacity it names and the teams' pods.
            if (r.category === "consolidation") {
              const pool = (row: UsageRow) =>
                r.resources.some(
                  (p) =>
                    p.nodePool === row.nodePool &&
                    p.instanceType === row.instanceType &&
                    p.capacityType === row.capacityType,
                );
              expect(r.currentMonthlyUsd, r.title).toBeLessThanOrEqual(poolCostOf(rows.filter(pool)) + 0.01);
            } else if (r.category !== "idle" && r.category !== "reserved-capacity") {
              expect(r.currentMonthlyUsd, r.title).toBeLessThanOrEqual(monthlyCostOf(r, rows) + 0.01);
            }
            expect(planInputSchema.safeParse(r.requestDraft).success, r.title).toBe(true);
            // Removing capacity (idle release, consolidation) never counts a busy GPU: it saves at most what the
            // named capacity cost in the hours it was measured idle.
            if (r.category === "consolidation") {
              expect(r.projectedSavingsUsd, r.title).toBeLessThanOrEqual(
                monthlyCostOf(r, rows, (row) => row.utilizationP90 < 5) + 0.01,
              );
            }
            if (r.category === "idle") {
              const named = new Set(r.resources.map(workloadKey));
              const lastWeek = rows.filter((row) => named.has(workloadKey(row)) && row.hour >= NOW - 7 * DAY_MS);
              expect(
                lastWeek.every((row) => row.utilizationP90 < 5),
                r.title,
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { shareIdleCost, type PoolDayCost } from "./share-idle";
import { UNALLOCATED_TEAM } from "@/lib/costs/schema";

const row = (
  team: string,
  nodePool: string,
  costUsd: number,
  gpuHoursAllocated: number,
  day = "2026-11-01",
): PoolDayCost => ({
  day,
  team,
  nodePool,
  costUsd,
  idleCostUsd: team === UNALLOCATED_TEAM ? costUsd : 0,
  gpuHoursAllocated,
  gpuHoursUsed: 0,
});

describe("shareIdleCost (OpenCost shareIdle)", () => {
  it("shares a pool's unallocated cost among the teams on that pool by their GPU-hours", () => {
    const out = shareIdleCost([
      row("nlp", "train", 300, 30),
      row("vision", "train", 100, 10),
      row(UNALLOCATED_TEAM, "train", 80, 8),
      row("vision", "infer", 50, 5),
    ]);
    expect(out.map((r) => [r.group, r.costUsd, r.sharedIdleUsd])).toEqual([
      ["nlp", 300 + 60, 60],
      ["vision", 100 + 20 + 50, 20],
    ]);
  });

  it("keeps idle capacity no team used on unallocated, so the total is the same both ways", () => {
    const rows = [
      row("nlp", "train", 300, 30),
      row(UNALLOCATED_TEAM, "train", 80, 8),
      row(UNALLOCATED_TEAM, "empty", 40, 4),
      row(UNALLOCATED_TEAM, "train", 10, 1, "2026-11-02"),
    ];
    const out = shareIdleCost(rows);
    expect(out.map((r) => [r.day, r.group, r.costUsd])).toEqual([
      ["2026-11-01", "nlp", 380],
      ["2026-11-01", UNALLOCATED_TEAM, 40],
      ["2026-11-02", UNALLOCATED_TEAM, 10], // nobody used "train" that day
    ]);
    expect(out.reduce((s, r) => s + r.costUsd, 0)).toBeCloseTo(
      rows.reduce((s, r) => s + r.costUsd, 0),
      9,
    );
  });
});

// The demo seed of 2026-12-07 12:30: nlp inference-a100 holds 8 GPUs and needs 2 in every hour of the week, while the
// inference table's floor is 1. That flat surplus is the right-size card's, not a 2 → 1 schedule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { computeInferenceScaling, latestUsageHour } from "@/lib/costs/rollups/ingestion-results.server";
import { inferenceSizingOf } from "@/lib/costs/rollups/weekly-scaling";
import { seedDemoUsage } from "./ingest-usage.server";

const now = Date.UTC(2026, 11, 7, 12, 30);
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_demo_inference"));
  await seedDemoUsage(getPrisma(), now);
}, 300_000);
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("demo inference cards", () => {
  it("makes no scheduled-scaling card for a workload whose sized needs are flat, and one right-size card", async () => {
    const db = getPrisma();
    const hour = (await latestUsageHour(db, "demo", now))!;
    const sizing = inferenceSizingOf(await computeInferenceScaling(db, "demo", hour, null));
    // The case: the table's floor is below the peak, so only the hourly needs show there is no pattern.
    expect(sizing.get("nlp|inference-a100")).toEqual({ peakGpus: 2, floorGpus: 1 });
    const cards = await db.recommendation.findMany({ where: { team: "nlp" } });
    const onPool = cards.filter((c) => / inference \(inference-a100\)|^Move nlp inference /.test(c.title));
    expect(onPool.map((c) => c.category)).toEqual(["right-sizing"]);
  });
});

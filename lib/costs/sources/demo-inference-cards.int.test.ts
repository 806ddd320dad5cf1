// The demo seed of 2026-12-07 12:30: nlp inference-a100 holds 8 GPUs for a chat model its Berlin users keep busy in
// working hours. Its cards follow the inference table's sizing: a schedule only when the week's sized needs vary,
// sized with the table's peak and lowest hour, and the right-size card for the flat surplus of A100s.
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
  await getPrisma().team.create({ data: { slug: "nlp", name: "NLP" } });
  await seedDemoUsage(getPrisma(), now);
}, 300_000);
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("demo inference cards", () => {
  it("makes a scheduled-scaling card only when the sized needs vary, with the table's counts, and one right-size card", async () => {
    const db = getPrisma();
    const hour = (await latestUsageHour(db, "demo", now))!;
    const rows = await computeInferenceScaling(db, "demo", hour, null);
    const row = rows.find((r) => r.team === "nlp" && r.nodePool === "inference-a100")!;
    const sizing = inferenceSizingOf(rows).get("nlp|inference-a100")!;
    const cards = await db.recommendation.findMany({ where: { team: "nlp" } });
    const onPool = cards.filter((c) => / inference \(inference-a100\)|^Move NLP inference /.test(c.title));
    const varies = new Set(row.schedule.map((s) => s.replicas)).size > 1;
    expect(onPool.map((c) => c.category).sort()).toEqual(
      varies ? ["right-sizing", "scheduled-scaling"] : ["right-sizing"],
    );
    // The users' working day makes the needs vary in the demo.
    expect(varies).toBe(true);
    const schedule = onPool.find((c) => c.category === "scheduled-scaling")!;
    expect(schedule.title).toContain(`: needs ${sizing.floorGpus}–${sizing.peakGpus} GPUs, holds `);
    // Titles name the team as people know it; the slug stays the card's key.
    expect(schedule.title).toMatch(/^Scale NLP inference /);
  });
});

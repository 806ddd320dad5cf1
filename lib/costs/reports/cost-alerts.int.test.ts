// Budget and stale-data notifications after ingestion: told once per team and month, once per stale spell.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { raiseCostAlerts } from "./cost-alerts.server";
import { seedDemoUsage } from "@/lib/costs/sources/ingest-usage.server";

let world: RequestWorld;
beforeAll(async () => {
  world = await startRequestWorld();
  await seedDemoUsage(getPrisma(), Date.now());
}, 120_000);
afterAll(async () => world?.close());

async function raised(event: string) {
  const rows = await getPrisma().$queryRawUnsafe<
    { data: { teamId: string | null; title: string; data: Record<string, unknown> } }[]
  >(
    `SELECT data FROM pgboss.job WHERE name = 'notification.fanout' AND data->>'event' = $1 ORDER BY created_on`,
    event,
  );
  return rows.map((r) => r.data);
}

describe("cost alerts", () => {
  it("a team whose forecast crosses its budget is told once a month; a source that goes stale once per spell", async () => {
    const db = getPrisma();
    const team = await db.team.findUniqueOrThrow({ where: { slug: "recsys" } });
    await db.team.update({ where: { id: team.id }, data: { monthlyBudgetUsd: 1 } });
    const now = Date.now();

    const first = await raiseCostAlerts(db, now);
    expect(first.budgetCrossed).toContain(team.slug);
    const told = (await raised("budget.forecast_crossed")).filter((n) => n.teamId === team.id);
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toContain(`${team.name} is forecast to spend`);
    expect(told[0]!.data).toMatchObject({ team: team.slug, budgetUsd: 1 });

    const again = await raiseCostAlerts(db, now + 60_000);
    expect(again.budgetCrossed).toEqual([]);
    expect((await raised("budget.forecast_crossed")).filter((n) => n.teamId === team.id)).toHaveLength(1);

    // Next month the same overrun is news again.
    const nextMonth = new Date(now);
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1, 15);
    const later = await raiseCostAlerts(db, nextMonth.getTime());
    expect(later.budgetCrossed).toContain(team.slug);
    // Six weeks on, the demo data (ingested up to now) is stale: told once, not on every later check.
    expect(later.staleSources.length).toBeGreaterThan(0);
    expect((await raiseCostAlerts(db, nextMonth.getTime() + 3_600_000)).staleSources).toEqual([]);
    expect((await raised("data.stale")).map((n) => n.teamId)).toEqual(later.staleSources.map(() => null));
  });
});

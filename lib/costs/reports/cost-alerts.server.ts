import "server-only";
import { z } from "zod";
import type { Db } from "@/lib/db/prisma.server";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { costSummary } from "@/lib/costs/rollups/cost-queries.server";
import { ingestionStatus } from "@/lib/costs/sources/ingest-usage.server";
import { defineSetting } from "@/lib/settings/setting";
import { readSetting, writeSetting } from "@/lib/settings/setting-store.server";

// After each ingestion: tell subscribers when a team's month-end forecast crosses its budget (once per team and
// month) and when a cost source goes stale (once per stale spell). What was already told is kept in one setting
// row, read and written under a transaction lock so two workers cannot both tell it.

const STATE_KEY = "notifications.cost-alerts";
const stateSchema = z.object({
  /** Team slug → the month (YYYY-MM) whose crossing was told. */
  budget: z.record(z.string(), z.string()).default({}),
  /** Source → whether its current stale spell was told. */
  stale: z.record(z.string(), z.boolean()).default({}),
});
const stateSetting = defineSetting(STATE_KEY, stateSchema);

export async function raiseCostAlerts(
  db: Db,
  now: number,
): Promise<{ budgetCrossed: string[]; staleSources: string[] }> {
  const [summary, statuses, teams] = await Promise.all([
    costSummary(db, { days: 30, groupBy: "team", teams: null, now }),
    ingestionStatus(db, now),
    db.team.findMany({ select: { id: true, slug: true, name: true } }),
  ]);
  const month = new Date(now).toISOString().slice(0, 7);
  const bySlug = new Map(teams.map((t) => [t.slug, t]));
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext($1))", STATE_KEY);
    const stored = await readSetting(tx, stateSetting);
    const state = stored.state === "valid" ? stored.value : { budget: {}, stale: {} };
    const budgetCrossed: string[] = [];
    for (const b of summary.monthToDate.teamBudgets) {
      const team = bySlug.get(b.team);
      if (!b.alert || !team || state.budget[b.team] === month) continue;
      state.budget[b.team] = month;
      budgetCrossed.push(b.team);
      const usd = (v: number) => `$${Math.round(v).toLocaleString("en-US")}`;
      await raiseNotification(
        tx,
        {
          event: "budget.forecast_crossed",
          teamId: team.id,
          title: `${team.name} is forecast to spend ${usd(b.forecastUsd)} in ${month}, over its ${usd(b.budgetUsd ?? 0)} budget`,
          summary: `At the current pace ${team.name}'s GPU spend ends the month ${usd(b.overByUsd)} over budget. The team's cost page shows where it goes and what would save.`,
          path: `/costs/teams/${team.slug}`,
          data: { team: team.slug, month, forecastUsd: b.forecastUsd, budgetUsd: b.budgetUsd, overByUsd: b.overByUsd },
        },
        new Date(now),
      );
    }
    const staleSources: string[] = [];
    for (const s of statuses) {
      if (!s.stale) {
        state.stale[s.source] = false;
        continue;
      }
      if (state.stale[s.source]) continue;
      state.stale[s.source] = true;
      staleSources.push(s.source);
      await raiseNotification(
        tx,
        {
          event: "data.stale",
          teamId: null,
          title: `Cost data from ${s.source} is stale${s.dataAgeHours !== null ? `: the newest is ${s.dataAgeHours} h old` : ": nothing was ingested yet"}`,
          summary: s.lastError
            ? `The last ingestion failed: ${s.lastError.slice(0, 500)}`
            : "Ingestion runs but brings no new data: check the source (is the exporter up?) in Settings → Cost data sources.",
          path: "/settings",
          data: { source: s.source, dataUntil: s.dataUntil, dataAgeHours: s.dataAgeHours },
        },
        new Date(now),
      );
    }
    await writeSetting(tx, stateSetting, { budget: state.budget, stale: state.stale });
    return { budgetCrossed, staleSources };
  });
}

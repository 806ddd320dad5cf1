import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { narrowScope, scopeFor } from "@/lib/costs/scope.server";
import { pivotDailyCost } from "@/lib/costs/reports/dashboard";
import { readCostSettings, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";
import type { CostQuery } from "@/lib/costs/schema";
import { dailyByGroup, rangeWindow } from "./rollup-reads.server";

/** Daily GPU cost per group (stacked chart data) over the teams the actor may see. */
export async function getCostTimeseries(o: CostQuery & { actor: PortalUser; now: number }) {
  const db = getPrisma();
  const source = usageSourceOf(await readCostSettings(db));
  const w = rangeWindow(o.days, o.now);
  const teams = narrowScope(await scopeFor(o.actor, db), o.team);
  const rows = await dailyByGroup(db, source, o.groupBy, w.start, w.end, teams);
  return { source, groupBy: o.groupBy, ...pivotDailyCost(rows, w.start, w.days) };
}

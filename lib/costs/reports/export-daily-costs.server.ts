import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { narrowScope, scopeFor } from "@/lib/costs/scope.server";
import { dailyByGroup, dailyByTeamSharingIdle, rangeWindow } from "@/lib/costs/rollups/rollup-reads.server";
import { readCostSettings, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";
import type { CostExportQuery } from "@/lib/costs/schema";
import { toCsv } from "./csv";

/**
 * The daily cost table as CSV over the teams the actor may see (shareIdle: each pool's idle cost shared among its
 * teams, with the shared part in its own column), and the file name to save it under.
 */
export async function exportDailyCosts(o: CostExportQuery & { actor: PortalUser; now: number }) {
  const db = getPrisma();
  const source = usageSourceOf(await readCostSettings(db));
  const w = rangeWindow(o.days, o.now);
  const scope = narrowScope(await scopeFor(o.actor, db), o.team);
  const csv = o.shareIdle
    ? toCsv(
        [
          "day",
          "team",
          "cost_usd",
          "shared_idle_usd",
          "idle_cost_usd",
          "gpu_hours_allocated",
          "gpu_hours_used",
          "source",
        ],
        (await dailyByTeamSharingIdle(db, source, w.start, w.end, scope)).map((r) => [
          r.day,
          r.group,
          r.costUsd,
          r.sharedIdleUsd,
          r.idleCostUsd,
          r.gpuHoursAllocated,
          r.gpuHoursUsed,
          source,
        ]),
      )
    : toCsv(
        ["day", o.groupBy, "cost_usd", "idle_cost_usd", "gpu_hours_allocated", "gpu_hours_used", "source"],
        (await dailyByGroup(db, source, o.groupBy, w.start, w.end, scope)).map((r) => [
          r.day,
          r.group,
          r.costUsd,
          r.idleCostUsd,
          r.gpuHoursAllocated,
          r.gpuHoursUsed,
          source,
        ]),
      );
  const filename = `gpu-costs-${o.days}d-by-${o.groupBy}${o.shareIdle ? "-idle-shared" : ""}.csv`;
  return { csv, filename };
}

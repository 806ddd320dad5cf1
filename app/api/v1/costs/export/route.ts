// GET /api/v1/costs/export?days=&groupBy=&team=&shareIdle=: the daily cost table as CSV (shareIdle=true: each pool's
// idle cost shared among its teams, with the shared part in its own column).
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costTeamScope, narrowScope } from "@/lib/costs/rollups/cost-queries.server";
import { dailyByGroup, dailyByTeamSharingIdle, rangeWindow } from "@/lib/costs/rollups/rollup-reads.server";
import { toCsv } from "@/lib/costs/reports/csv";
import { readCostSettings, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";
import { costDownloadResponse, costExportQuerySchema } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costDownloadResponse, responseMediaType: "text/csv", query: costExportQuerySchema },
  async ({ user, query }) => {
    const db = getPrisma();
    const source = usageSourceOf(await readCostSettings(db));
    const w = rangeWindow(query.days, Date.now());
    const scope = narrowScope(await costTeamScope(db, user), query.team);
    const csv = query.shareIdle
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
          ["day", query.groupBy, "cost_usd", "idle_cost_usd", "gpu_hours_allocated", "gpu_hours_used", "source"],
          (await dailyByGroup(db, source, query.groupBy, w.start, w.end, scope)).map((r) => [
            r.day,
            r.group,
            r.costUsd,
            r.idleCostUsd,
            r.gpuHoursAllocated,
            r.gpuHoursUsed,
            source,
          ]),
        );
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="gpu-costs-${query.days}d-by-${query.groupBy}${query.shareIdle ? "-idle-shared" : ""}.csv"`,
      },
    });
  },
);

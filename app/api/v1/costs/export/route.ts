// GET /api/v1/costs/export?days=&groupBy=&team=: the daily cost table as CSV.
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costTeamScope, dailyByGroup, narrowScope, rangeWindow } from "@/lib/costs/cost-queries.server";
import { toCsv } from "@/lib/costs/csv";
import { readCostSettings, usageSourceOf } from "@/lib/costs/ingest-usage.server";
import { costQuerySchema } from "@/lib/costs/schema";

export const GET = route({ action: "costs.read", query: costQuerySchema }, async ({ user, query }) => {
  const db = getPrisma();
  const source = usageSourceOf(await readCostSettings(db));
  const w = rangeWindow(query.days, Date.now());
  const rows = await dailyByGroup(db, source, query.groupBy, w.start, w.end, narrowScope(await costTeamScope(db, user), query.team));
  const csv = toCsv(
    ["day", query.groupBy, "cost_usd", "idle_cost_usd", "gpu_hours_allocated", "gpu_hours_used", "source"],
    rows.map((r) => [r.day, r.group, r.costUsd, r.idleCostUsd, r.gpuHoursAllocated, r.gpuHoursUsed, source]),
  );
  return new Response(csv, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="gpu-costs-${query.days}d-by-${query.groupBy}.csv"` },
  });
});

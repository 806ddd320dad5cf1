// GET /api/v1/costs/export?days=&groupBy=&team=&shareIdle=: the daily cost table as CSV (shareIdle=true: each pool's
// idle cost shared among its teams, with the shared part in its own column).
import { route } from "@/lib/http/route.server";
import { exportDailyCosts } from "@/lib/costs/reports/export-daily-costs.server";
import { costDownloadResponse, costExportQuerySchema } from "@/lib/costs/schema";

export const GET = route(
  { action: "costs.read", response: costDownloadResponse, responseMediaType: "text/csv", query: costExportQuerySchema },
  async ({ user, query }) => {
    const { csv, filename } = await exportDailyCosts({ actor: user, ...query, now: Date.now() });
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
      },
    });
  },
);

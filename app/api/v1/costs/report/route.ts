// GET /api/v1/costs/report?month=YYYY-MM&format=md|csv: the monthly cost report.
import { route } from "@/lib/http/route.server";
import { getMonthlyReport } from "@/lib/costs/reports/get-monthly-report.server";
import { costDownloadResponse, monthlyReportQuerySchema } from "@/lib/costs/schema";

export const GET = route(
  {
    action: "costs.read",
    response: costDownloadResponse,
    responseMediaType: "text/markdown",
    query: monthlyReportQuerySchema,
  },
  async ({ user, query }) => {
    const { text, filename } = await getMonthlyReport({ actor: user, ...query, now: Date.now() });
    return new Response(text, {
      headers: {
        "content-type": query.format === "csv" ? "text/csv; charset=utf-8" : "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="${filename}"`,
      },
    });
  },
);

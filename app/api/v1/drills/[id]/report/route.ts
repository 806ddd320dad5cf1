import { drillReportResponse } from "@/lib/dr/schema";
import { route } from "@/lib/http/route.server";
import { reportQuery, runIdParams } from "@/lib/dr/api-params";
import { loadDrillReport } from "@/lib/dr/load-drill-report.server";
import { renderDrillReportHtml, renderDrillReportMarkdown } from "@/lib/dr/drill-report";

// GET /api/v1/drills/{id}/report?format=md|html: the auditors' report (HTML is laid out for printing to PDF).
export const GET = route(
  {
    action: "drill.read",
    response: drillReportResponse,
    responseMediaType: "text/markdown",
    params: runIdParams,
    query: reportQuery,
  },
  async ({ user, params, query, traceId }) => {
    const input = await loadDrillReport({ actor: user, runId: params.id, now: new Date(), traceId });
    const name = `drill-${input.plan.key}-${params.id}`;
    if (query.format === "html") {
      return new Response(renderDrillReportHtml(input), {
        headers: {
          "Content-Type": "text/html; charset=utf-8",
          "Content-Disposition": `inline; filename="${name}.html"`,
        },
      });
    }
    return new Response(renderDrillReportMarkdown(input), {
      headers: {
        "Content-Type": "text/markdown; charset=utf-8",
        "Content-Disposition": `attachment; filename="${name}.md"`,
      },
    });
  },
);

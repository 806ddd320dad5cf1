import { drillReportResponse } from "@/lib/dr/schema";
import { route } from "@/lib/http/route.server";
import { reportQuery, runIdParams } from "@/lib/dr/api-params";
import { loadReportInput } from "@/lib/dr/drill-queries.server";
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
  async ({ params, query }) => {
    const input = await loadReportInput(params.id, new Date());
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

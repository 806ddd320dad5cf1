// GET /api/v1/costs/report?month=YYYY-MM&format=md|csv: the monthly cost report.
import { costDownloadResponse } from "@/lib/costs/schema";
import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { costTeamScope } from "@/lib/costs/rollups/cost-queries.server";
import { buildMonthlyReport } from "@/lib/costs/reports/build-report.server";
import { monthlyReportCsv, monthlyReportMarkdown } from "@/lib/costs/reports/monthly-report";

const query = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: "month must look like 2026-11" })
    .optional(),
  format: z.enum(["md", "csv"], { message: "format must be md or csv" }).default("md"),
});

export const GET = route(
  { action: "costs.read", response: costDownloadResponse, responseMediaType: "text/markdown", query },
  async ({ user, query }) => {
    const now = Date.now();
    const month = query.month ?? new Date(now).toISOString().slice(0, 7);
    const db = getPrisma();
    const input = await buildMonthlyReport(db, { month, teams: await costTeamScope(db, user), now });
    const csv = query.format === "csv";
    return new Response(csv ? monthlyReportCsv(input) : monthlyReportMarkdown(input), {
      headers: {
        "content-type": csv ? "text/csv; charset=utf-8" : "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="gpu-cost-report-${month}.${query.format}"`,
      },
    });
  },
);

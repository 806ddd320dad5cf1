import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { scopeFor } from "@/lib/costs/scope.server";
import type { MonthlyReportQuery } from "@/lib/costs/schema";
import { buildMonthlyReport } from "./build-report.server";
import { monthlyReportCsv, monthlyReportMarkdown } from "./monthly-report";

/** The monthly cost report (Markdown or CSV) over the teams the actor may see; the current month by default. */
export async function getMonthlyReport(o: MonthlyReportQuery & { actor: PortalUser; now: number }) {
  const db = getPrisma();
  const month = o.month ?? new Date(o.now).toISOString().slice(0, 7);
  const input = await buildMonthlyReport(db, { month, teams: await scopeFor(o.actor, db), now: o.now });
  const text = o.format === "csv" ? monthlyReportCsv(input) : monthlyReportMarkdown(input);
  return { text, filename: `gpu-cost-report-${month}.${o.format}` };
}

// Which findings block a submit, apart from the checker: the request form and its preview need only this rule at
// first paint, and importing check-viability would ship every check with the page.
import type { SecurityFinding, SecurityReport } from "@/lib/security/types";

/** Findings that keep a plan from being submitted: anything that stops a pod, a volume or a backup from working. */
export function blockingFindings(report: SecurityReport): SecurityFinding[] {
  return report.findings.filter((f) => f.severity === "critical" || f.severity === "high");
}

/** Findings that do not block a submit but may still surprise once applied (an image the checker does not know). */
export function advisoryFindings(report: SecurityReport): SecurityFinding[] {
  return report.findings.filter((f) => f.severity !== "critical" && f.severity !== "high");
}

// The score: 100 with no findings, multiplied down by each finding according to its severity.
//   score = floor(100 × 0.5^critical × 0.8^high × 0.95^medium × 0.99^low)   (info findings cost nothing)
// So one critical halves the score, five highs leave 32, twenty mediums leave 35. Multiplying (rather than
// subtracting fixed points) keeps bad manifests distinguishable from worse ones instead of all reading 0.
// The worst finding also caps the score (critical 49, high 74, medium 89, low 97): a single finding that a
// reviewer must act on should not read as an A.
import { severities, type SecurityFinding, type Severity } from "./types";

export const severityFactors: Record<Severity, number> = { critical: 0.5, high: 0.8, medium: 0.95, low: 0.99, info: 1 };

export function countBySeverity(findings: readonly SecurityFinding[]): Record<Severity, number> {
  const counts = Object.fromEntries(severities.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export const severityCeilings: Record<Severity, number> = { critical: 49, high: 74, medium: 89, low: 97, info: 100 };

export function scoreFindings(counts: Record<Severity, number>): number {
  let score = 100;
  for (const severity of severities) score *= severityFactors[severity] ** counts[severity];
  const worst = severities.find((severity) => counts[severity] > 0);
  // Guard against floating error such as 99.99999 for a clean report.
  return Math.min(Math.floor(score + 1e-9), worst ? severityCeilings[worst] : 100);
}

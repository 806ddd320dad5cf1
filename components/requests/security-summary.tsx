// The security report: score, counts by severity and each finding with the object, field path, why and fix.
import { severities, type SecurityReport, type Severity } from "@/lib/security/types";

const tone: Record<Severity, string> = {
  critical: "badge-danger",
  high: "badge-danger",
  medium: "badge-warning",
  low: "badge-info",
  info: "",
};

/** Also shows the viability report, which has the same shape: `testId` and `emptyText` tell them apart. */
export function SecuritySummary({
  report,
  testId = "security-summary",
  emptyText = "No findings: the manifests pass every check.",
}: {
  report: SecurityReport;
  testId?: string;
  emptyText?: string;
}) {
  return (
    <div data-testid={testId}>
      <div className="row">
        <div className="stat">
          <div className="label">Score</div>
          <div className="value" data-testid={`${testId === "security-summary" ? "security" : testId}-score`}>
            {report.score}
            <span className="help"> / 100</span>
          </div>
        </div>
        <div className="row" aria-label="Findings by severity">
          {severities.map((s) => (
            <span key={s} className={`badge ${report.counts[s] ? tone[s] : ""}`}>
              {report.counts[s]} {s}
            </span>
          ))}
        </div>
      </div>
      {report.findings.length === 0 ? (
        <p className="help">{emptyText}</p>
      ) : (
        <ul className="plain-list findings">
          {report.findings.map((f, i) => (
            <li key={`${f.check}-${i}`}>
              <span className={`badge ${tone[f.severity]}`}>{f.severity}</span> <strong>{f.message}</strong>
              <div className="help">
                <code>
                  {f.object.kind}/{f.object.namespace ? `${f.object.namespace}/` : ""}
                  {f.object.name}
                </code>{" "}
                · <code>{f.path}</code>
              </div>
              <div className="help">
                <em>Why:</em> {f.why}
              </div>
              <div className="help">
                <em>Fix:</em> {f.fix}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

// The security report: score, counts by severity and each finding with the object, field path, why and fix.
import { severities, type SecurityReport } from "@/lib/security/types";
import { FindingList, severityTone } from "./finding-list";

export function SecuritySummary({ report }: { report: SecurityReport }) {
  return (
    <div data-testid="security-summary">
      <div className="row">
        <div className="stat">
          <div className="label">Score</div>
          <div className="value" data-testid="security-score">
            {report.score}
            <span className="help"> / 100</span>
          </div>
        </div>
        <div className="row" aria-label="Findings by severity">
          {severities.map((s) => (
            <span key={s} className={`badge ${report.counts[s] ? severityTone[s] : ""}`}>
              {report.counts[s]} {s}
            </span>
          ))}
        </div>
      </div>
      {report.findings.length === 0 ? (
        <p className="help">No findings: the manifests pass every check.</p>
      ) : (
        <FindingList findings={report.findings} />
      )}
    </div>
  );
}

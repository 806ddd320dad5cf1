// One finding per item: severity, what is wrong, the object and field, why it matters and how to fix it. The
// security and the viability reports share the finding shape, and show it the same way.
import type { SecurityFinding, Severity } from "@/lib/security/types";

export const severityTone: Record<Severity, string> = {
  critical: "badge-danger",
  high: "badge-danger",
  medium: "badge-warning",
  low: "badge-info",
  info: "",
};

export function FindingList({ findings, label }: { findings: SecurityFinding[]; label?: string }) {
  return (
    <ul className="plain-list findings" aria-label={label}>
      {findings.map((f, i) => (
        <li key={`${f.check}-${i}`}>
          <span className={`badge ${severityTone[f.severity]}`}>{f.severity}</span> <strong>{f.message}</strong>
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
  );
}

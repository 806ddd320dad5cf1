// What the plan needs on the cluster: operators, controllers, exporters and drivers with their versions, who
// provides each, the objects that need it and the settings they rely on.
import type { PlanRequirement } from "@/lib/plans/plan-requirements";

const providedBy: Record<PlanRequirement["provided_by"], string> = {
  plan: "this plan",
  cloud: "managed service",
  cluster: "install first",
  you: "provided by you",
};

export function RequirementsList({ requires }: { requires: readonly PlanRequirement[] }) {
  if (requires.length === 0) return <p className="help">This plan needs no operator or controller.</p>;
  // A list, not a 4-column table: the preview pane is about 480 px wide, where table columns were squeezed.
  return (
    <ul
      className="plain-list grid"
      data-testid="plan-requirements"
      aria-label="Operators and controllers the plan needs"
    >
      {requires.map((r) => (
        <li key={r.name} className="min-w-0">
          <div>
            <strong>{r.name}</strong> <span className="badge">{r.kind}</span> {r.version}{" "}
            <span className={r.provided_by === "cluster" || r.provided_by === "you" ? "badge badge-warning" : "badge"}>
              {providedBy[r.provided_by]}
            </span>
          </div>
          <div className="help">Needed by {r.needed_by.join(", ")}</div>
          {r.settings.length > 0 && (
            <ul>
              {r.settings.map((s) => (
                <li key={s.key} className="wrap-anywhere">
                  <code>
                    {s.key}: {s.value}
                  </code>{" "}
                  <span className="help">{s.why}</span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

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
  return (
    <table className="table" data-testid="plan-requirements">
      <caption className="visually-hidden">Operators and controllers the plan needs</caption>
      <thead>
        <tr>
          <th scope="col">Requirement</th>
          <th scope="col">Version</th>
          <th scope="col">Provided by</th>
          <th scope="col">Needed by and settings</th>
        </tr>
      </thead>
      <tbody>
        {requires.map((r) => (
          <tr key={r.name}>
            <td>
              {r.name} <span className="badge">{r.kind}</span>
            </td>
            <td>{r.version}</td>
            <td>
              <span
                className={r.provided_by === "cluster" || r.provided_by === "you" ? "badge badge-warning" : "badge"}
              >
                {providedBy[r.provided_by]}
              </span>
            </td>
            <td>
              <div className="help">{r.needed_by.join(", ")}</div>
              {r.settings.length > 0 && (
                <ul>
                  {r.settings.map((s) => (
                    <li key={s.key}>
                      <code>
                        {s.key}: {s.value}
                      </code>{" "}
                      <span className="help">{s.why}</span>
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

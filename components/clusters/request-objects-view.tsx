import Link from "next/link";
import { StatusBadge } from "@/components/ui/status-badge";
import type { LiveState, RequestObjects } from "@/lib/k8s/cluster-inventory";

const tone: Record<LiveState, string> = {
  ready: "badge-success",
  progressing: "badge-info",
  failed: "badge-danger",
  present: "",
  missing: "badge-danger",
  unknown: "badge-warning",
};

export function RequestObjectsView({ requests, reachable }: { requests: RequestObjects[]; reachable: boolean }) {
  if (requests.length === 0)
    return (
      <div className="card empty">
        No request you can see has applied objects to this cluster yet.{" "}
        <Link href="/requests/new">Request GPU capacity</Link>.
      </div>
    );
  return (
    <div className="grid" data-testid="request-objects">
      {requests.map((r) => (
        <section
          key={r.requestId}
          id={`request-${r.number}`}
          className="card"
          aria-labelledby={`request-${r.number}-title`}
        >
          <h3 className="flush" id={`request-${r.number}-title`}>
            <Link href={`/requests/${r.requestId}`}>
              REQ-{r.number} {r.title}
            </Link>{" "}
            <StatusBadge status={r.status} /> <span className="help">· {r.teamName}</span>
          </h3>
          {r.objects.length === 0 ? (
            <p className="help">Its apply applied nothing yet.</p>
          ) : (
            <div
              className="table-scroll"
              tabIndex={0}
              role="region"
              aria-label="Table, scrolls sideways on narrow screens"
            >
              <table className="table">
                <caption className="visually-hidden">Live status of the objects REQ-{r.number} applied</caption>
                <thead>
                  <tr>
                    <th scope="col">Kind</th>
                    <th scope="col">Namespace</th>
                    <th scope="col">Name</th>
                    <th scope="col">Live status</th>
                  </tr>
                </thead>
                <tbody>
                  {r.objects.map((o) => (
                    <tr key={`${o.ref.apiVersion}/${o.ref.kind}/${o.ref.namespace ?? ""}/${o.ref.name}`}>
                      <td>{o.ref.kind}</td>
                      <td>{o.ref.namespace ?? <span className="help">cluster-wide</span>}</td>
                      <td className="wrap-anywhere">{o.ref.name}</td>
                      <td>
                        {reachable ? (
                          <>
                            <span className={`badge ${tone[o.state]}`}>{o.state}</span>{" "}
                            <span className="help wrap-anywhere">{o.detail}</span>
                          </>
                        ) : (
                          <span className="help">unknown: cluster not reachable</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </div>
  );
}

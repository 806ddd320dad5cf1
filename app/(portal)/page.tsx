import Link from "next/link";
import { requirePage } from "@/lib/auth/session.server";
import { homeSummary } from "@/lib/home/home-summary.server";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { DrillRunSummary } from "@/components/dr/drill-run-summary";

export const metadata = { title: "Home" };

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export default async function HomePage() {
  const user = await requirePage("home.read");
  const now = new Date();
  const s = await homeSummary(user, now);
  return (
    <>
      <h1>Good to see you, {user.name.split(" ")[0]}</h1>
      <p className="subtitle">What needs you today.</p>
      <div className="grid grid-2">
        {user.role === "platform-admin" && (
          <section className="card" aria-labelledby="approvals" data-testid="home-approvals">
            <h2 id="approvals" style={{ marginTop: 0 }}>Pending approvals ({s.pendingApprovals.length})</h2>
            {s.pendingApprovals.length === 0 ? (
              <p className="empty">No request waits for approval.</p>
            ) : (
              <ul>
                {s.pendingApprovals.map((r) => (
                  <li key={r.id}><Link href={`/requests/${r.id}`}>REQ-{r.number} {r.title}</Link> · {r.team.name} · <RelativeTime date={r.createdAt} now={now} /></li>
                ))}
              </ul>
            )}
          </section>
        )}
        {(user.role === "finance" || user.role === "platform-admin") && (
          <section className="card stat" aria-labelledby="spend" data-testid="home-spend">
            <h2 id="spend" style={{ marginTop: 0 }}>GPU spend this month</h2>
            <div className="value">{s.spendThisMonthUsd === null ? "—" : usd.format(s.spendThisMonthUsd)}</div>
            {s.idleThisMonthUsd !== null && s.idleThisMonthUsd > 0 && <p className="help">of which idle: {usd.format(s.idleThisMonthUsd)}</p>}
            <Link href="/costs">Open costs</Link>
          </section>
        )}
        {(user.role === "sre" || user.role === "platform-admin") && (
          <section className="card" aria-labelledby="drills" data-testid="home-drills">
            <h2 id="drills" style={{ marginTop: 0 }}>Last drill results</h2>
            {s.drills.length === 0 ? (
              <p className="empty">No drill has run yet. <Link href="/drills">Run a dry-run drill</Link> to see what recovery would do.</p>
            ) : (
              <ul>
                {s.drills.map((d) => (
                  <li key={d.id}><DrillRunSummary run={d} now={now} /></li>
                ))}
              </ul>
            )}
          </section>
        )}
        {(user.role === "ml-engineer" || user.role === "platform-admin") && (
          <section className="card" aria-labelledby="mine" data-testid="home-my-requests">
            <h2 id="mine" style={{ marginTop: 0 }}>My requests</h2>
            {s.myRequests.length === 0 ? (
              <p className="empty">You have no requests yet. <Link href="/requests/new">Request GPU capacity</Link>.</p>
            ) : (
              <ul>
                {s.myRequests.map((r) => (
                  <li key={r.id}><Link href={`/requests/${r.id}`}>REQ-{r.number} {r.title}</Link> · <StatusBadge status={r.status} /> · <RelativeTime date={r.createdAt} now={now} /></li>
                ))}
              </ul>
            )}
          </section>
        )}
      </div>
    </>
  );
}

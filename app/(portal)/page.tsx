import Link from "next/link";
import { Suspense } from "react";
import { requirePage } from "@/lib/auth/session.server";
import { homeSummary } from "@/lib/home/home-summary.server";
import { ClusterGpuCard, NewestBackupsList } from "./_home/live-cards";
import { TeamBudgetList } from "@/components/home/team-budget-list";
import { TopSavingsList } from "@/components/home/top-savings-list";
import { DrillRunSummary } from "@/components/dr/drill-run-summary";
import { DrillTrendChart } from "@/components/dr/drill-trend-chart";
import { Alert } from "@/components/ui/alert";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/skeleton";
import { StatusBadge } from "@/components/ui/status-badge";

export const metadata = { title: "Home" };
export const dynamic = "force-dynamic";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

function Card({
  id,
  title,
  testId,
  wide,
  children,
  action,
}: {
  id: string;
  title: string;
  testId: string;
  wide?: boolean;
  children: React.ReactNode;
  action?: React.ReactNode;
}) {
  return (
    <section className={`card home-card${wide ? " home-card-wide" : ""}`} aria-labelledby={id} data-testid={testId}>
      <div className="row">
        <h2 className="flush" id={id}>
          {title}
        </h2>
        <span className="spacer" />
        {action}
      </div>
      {children}
    </section>
  );
}

export default async function HomePage() {
  const user = await requirePage("home.read");
  const now = new Date();
  const s = await homeSummary({ actor: user, now });
  const role = user.role;
  const admin = role === "platform-admin";
  const waiting = s.requestCounts.pending_approval ?? 0;
  const failed = s.requestCounts.apply_failed ?? 0;
  const overBudget = (s.teamBudgets ?? []).filter((t) => t.overBudget);
  const needs = [
    admin &&
      s.pendingApprovals.length > 0 &&
      `${s.pendingApprovals.length} request${s.pendingApprovals.length === 1 ? "" : "s"} waiting for your approval`,
    admin &&
      s.failedApplies.length > 0 &&
      `${s.failedApplies.length} failed apply${s.failedApplies.length === 1 ? "" : "s"}`,
    role === "ml-engineer" && failed > 0 && `${failed} of your team's requests failed to apply`,
    (role === "finance" || role === "ml-engineer" || admin) &&
      overBudget.length > 0 &&
      `${overBudget.length} team${overBudget.length === 1 ? "" : "s"} forecast over budget`,
    role === "sre" &&
      s.drillsDue.length > 0 &&
      `${s.drillsDue.length} recovery plan${s.drillsDue.length === 1 ? "" : "s"} due for a drill`,
  ].filter((x): x is string => typeof x === "string");
  return (
    <>
      <h1>Good to see you, {user.name.split(" ")[0]}</h1>
      <p className="subtitle" data-testid="home-needs">
        {needs.length ? `Needs you now: ${needs.join(" · ")}.` : "Nothing needs you right now."}
      </p>
      <div className="home-grid">
        {admin && (
          <Card
            id="approvals"
            title={`Approvals waiting (${s.pendingApprovals.length})`}
            testId="home-approvals"
            action={<Link href="/requests?status=pending_approval">All requests</Link>}
          >
            {s.pendingApprovals.length === 0 ? (
              <p className="empty">No request waits for approval.</p>
            ) : (
              <ul>
                {s.pendingApprovals.map((r) => (
                  <li key={r.id}>
                    <Link href={`/requests/${r.id}`}>
                      REQ-{r.number} {r.title}
                    </Link>{" "}
                    · {r.team.name} · <RelativeTime date={r.createdAt} now={now} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        {admin && (
          <Card id="failed" title={`Failed applies (${s.failedApplies.length})`} testId="home-failed-applies">
            {s.failedApplies.length === 0 ? (
              <p className="empty">No apply has failed.</p>
            ) : (
              <ul>
                {s.failedApplies.map((r) => (
                  <li key={r.id}>
                    <Link href={`/requests/${r.id}`}>
                      REQ-{r.number} {r.title}
                    </Link>{" "}
                    · {r.team} · <RelativeTime date={r.updatedAt} now={now} />
                    {r.error && (
                      <div className="help wrap-anywhere">
                        {r.error.length > 160 ? `${r.error.slice(0, 160)}…` : r.error}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        {admin && (
          <Card
            id="health"
            title="Cost data health"
            testId="home-data-health"
            action={<Link href="/settings">Settings</Link>}
          >
            {s.dataHealth.length === 0 ? (
              <p className="empty">
                No cost data has been ingested yet. <Link href="/settings">Choose a source and ingest now</Link>.
              </p>
            ) : (
              <ul>
                {s.dataHealth.map((h) => (
                  <li key={h.source}>
                    <strong>{h.source}</strong>{" "}
                    <StatusBadge
                      status={h.status === "succeeded" ? "success" : h.status === "failed" ? "failure" : h.status}
                      label={h.status}
                    />{" "}
                    · <RelativeTime date={h.at} now={now} />
                    {h.shares && (
                      <div className="help">
                        team {percent(h.shares.team)} · pool {percent(h.shares.pool)} · price {percent(h.shares.price)}{" "}
                        of GPU-hours
                        {h.issues > 0 && (
                          <>
                            {" "}
                            ·{" "}
                            <Link href="/costs#data-health-title">
                              {h.issues} issue{h.issues === 1 ? "" : "s"} to fix
                            </Link>
                          </>
                        )}
                      </div>
                    )}
                    {h.error && <div className="help wrap-anywhere">{h.error}</div>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        {(role === "ml-engineer" || admin) && (
          <Card
            id="requests"
            title={admin ? "My requests" : "My team's requests"}
            testId="home-my-requests"
            action={<Link href="/requests/new">New request</Link>}
          >
            {s.teamRequests.length === 0 ? (
              <p className="empty">
                {admin ? "You have no requests yet." : "Your team has no requests yet."}{" "}
                <Link href="/requests/new">Request GPU capacity</Link>.
              </p>
            ) : (
              <>
                {!admin && (
                  <p className="help" data-testid="home-request-counts">
                    {Object.entries(s.requestCounts).map(([status, count], i) => (
                      <span key={status}>
                        {i > 0 && " · "}
                        {count} {status.replace(/_/g, " ")}
                      </span>
                    ))}
                    {waiting > 0 && " — waiting for a platform admin"}
                  </p>
                )}
                <ul>
                  {s.teamRequests.map((r) => (
                    <li key={r.id}>
                      <Link href={`/requests/${r.id}`}>
                        REQ-{r.number} {r.title}
                      </Link>{" "}
                      · <StatusBadge status={r.status} /> · {r.team.name} ·{" "}
                      <RelativeTime date={r.updatedAt} now={now} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Card>
        )}
        {(role === "finance" || role === "ml-engineer" || admin) && (
          <Card
            id="spend"
            title={role === "ml-engineer" ? "My team's spend this month" : "GPU spend this month"}
            testId="home-spend"
            action={<Link href="/costs">Open costs</Link>}
          >
            <div className="stat">
              <div className="value">{s.spendThisMonthUsd === null ? "—" : usd.format(s.spendThisMonthUsd)}</div>
            </div>
            {s.idleThisMonthUsd !== null && s.idleThisMonthUsd > 0 && (
              <p className="help">
                of which on idle GPUs: {usd.format(s.idleThisMonthUsd)}
                {s.costSourceIsDemo && " · demo data"}
              </p>
            )}
            {s.teamBudgets === null ? (
              <Alert tone="warning">
                The cost settings cannot be read: <Link href="/costs">Costs</Link> says why.
              </Alert>
            ) : (
              <TeamBudgetList teams={s.teamBudgets} />
            )}
          </Card>
        )}
        {(role === "finance" || admin) && (
          <Card
            id="savings"
            title="Top savings"
            testId="home-savings"
            action={<Link href="/costs#recs-title">All recommendations</Link>}
          >
            <TopSavingsList items={s.topSavings} />
          </Card>
        )}
        {(role === "ml-engineer" || role === "sre") && (
          <Card
            id="clusters"
            title={role === "ml-engineer" ? "My clusters' GPUs" : "Cluster GPUs"}
            testId="home-clusters"
            action={<Link href="/clusters">All clusters</Link>}
          >
            {s.clusters.length === 0 ? (
              <p className="empty">No cluster is registered yet: ask a platform admin to register one.</p>
            ) : (
              <ul className="plain-list">
                {s.clusters.map((c) => (
                  <Suspense
                    key={c.id}
                    fallback={
                      <li>
                        <Skeleton lines={1} label={`Reading ${c.name}`} />
                      </li>
                    }
                  >
                    <ClusterGpuCard actor={user} cluster={c} />
                  </Suspense>
                ))}
              </ul>
            )}
          </Card>
        )}
        {role === "sre" && (
          <Card
            id="due"
            title={`Drills due (${s.drillsDue.length})`}
            testId="home-drills-due"
            action={<Link href="/drills">All plans</Link>}
          >
            {s.drillsDue.length === 0 ? (
              <p className="empty">Every plan passed a live drill in the last 30 days.</p>
            ) : (
              <ul>
                {s.drillsDue.map((d) => (
                  <li key={d.key}>
                    <Link href={`/drills/plans/${d.key}`}>{d.name}</Link> ·{" "}
                    {d.daysSince === null ? "never passed a live drill" : `last passed ${d.daysSince} days ago`}
                    {d.schedule && (
                      <span className="help">
                        {" "}
                        · scheduled <code>{d.schedule}</code>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        {(role === "sre" || admin) && (
          <Card id="drills" title="Last drill results" testId="home-drills">
            {s.drills.length === 0 ? (
              <p className="empty">
                No drill has run yet. <Link href="/drills">Run a dry-run drill</Link> to see what recovery would do.
              </p>
            ) : (
              <ul>
                {s.drills.map((d) => (
                  <li key={d.id}>
                    <DrillRunSummary run={d} now={now} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        )}
        {role === "sre" && (
          <Card id="backups" title="Newest backups" testId="home-backups-card">
            <Suspense fallback={<Skeleton lines={3} label="Reading backups" />}>
              <NewestBackupsList actor={user} clusters={s.clusters} now={now} />
            </Suspense>
          </Card>
        )}
        {role === "sre" && (
          <Card
            id="trend"
            title={s.drillTrend ? `RTO/RPO trend: ${s.drillTrend.planName}` : "RTO/RPO trend"}
            testId="home-trend"
            wide
            action={s.drillTrend && <Link href={`/drills/plans/${s.drillTrend.planKey}`}>Open plan</Link>}
          >
            <DrillTrendChart points={s.drillTrend?.points ?? []} />
          </Card>
        )}
      </div>
    </>
  );
}

// The dashboard body shared by /costs and /costs/teams/[slug] (server component: charts hydrate on their own).
import Link from "next/link";
import { UNALLOCATED_TEAM, type CostSummary } from "@/lib/costs/schema";
import { DailyCostChart } from "./daily-cost-chart";
import { HeatMap } from "./heat-map";
import { UtilizationTable } from "./utilization-table";
import { share, usd0 } from "./format";
import { buttonClass } from "@/components/ui/button";

const groupLabels = { team: "team", workloadType: "workload", nodePool: "node pool" } as const;

type Ingestion = CostSummary["ingestion"][number];
// "2026-11-20 23:05 UTC", as the rest of the portal writes times (toUTCString says GMT).
const utc = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const hoursAgo = (h: number) => `${h} hour${h === 1 ? "" : "s"} ago`;

/** Why a source is stale: how old its newest data is (runs can succeed with no rows), then the last run. */
function staleText(i: Ingestion, usageSource: string): string {
  const data =
    i.dataUntil === null || i.dataAgeHours === null
      ? "no data has been ingested"
      : `its newest data ends ${utc(i.dataUntil)} (${hoursAgo(i.dataAgeHours)})${i.source === usageSource ? ", so later usage is missing from the month to date and forecast from past weeks instead" : ""}`;
  return `${i.source} data is stale: ${data}. Last successful ingestion ${i.lastSuccessAt ? utc(i.lastSuccessAt) : "never"}${i.lastError ? ` (last error: ${i.lastError})` : ""}.`;
}

/**
 * `teamNames`: slug to name, so the chart's legend, the utilization rows and the budget alerts read "Recommender
 * systems" as the rest of the portal does, not "recsys" (a team only the data names keeps its slug).
 */
export function CostDashboard({
  summary,
  basePath,
  team,
  teamNames = {},
}: {
  summary: CostSummary;
  basePath: string;
  team?: string;
  teamNames?: Readonly<Record<string, string>>;
}) {
  const s = summary;
  const teamName = (slug: string) => teamNames[slug] ?? slug;
  // Only a grouping by team has team slugs for keys; workload types and node pools are their own names.
  const groupNames = s.groupBy === "team" ? { [UNALLOCATED_TEAM]: "Unallocated (idle GPUs)", ...teamNames } : {};
  const qs = (days: number, groupBy: string) => `${basePath}?days=${days}&groupBy=${groupBy}`;
  const csv = `/api/v1/costs/export?days=${s.range.days}&groupBy=${s.groupBy}${team ? `&team=${encodeURIComponent(team)}` : ""}`;
  const m = s.monthToDate;
  const stale = s.ingestion.filter((i) => i.stale);
  const usage = s.ingestion.find((i) => i.source === s.source) ?? s.ingestion[0];
  return (
    <>
      {s.demo && (
        <div className="alert alert-info" data-testid="demo-banner">
          Demo data: generated fleet, not your clusters. An admin can configure Prometheus or AWS Cost Explorer in
          Settings.
        </div>
      )}
      {stale.map((i) => (
        <div key={i.source} className="alert alert-warning" role="status" data-testid="stale-banner">
          {staleText(i, s.source)}
        </div>
      ))}
      {m.budget.alert && (
        <div className="alert alert-danger" role="alert" data-testid="budget-alert">
          Forecast {usd0(m.budget.forecastUsd)} for {m.month} exceeds the budget of {usd0(m.budget.budgetUsd ?? 0)} by{" "}
          {usd0(m.budget.overByUsd)}.
        </div>
      )}
      {m.teamBudgets
        .filter((t) => t.alert && !(m.budget.alert && m.teamBudgets.length === 1))
        .map((t) => (
          <div key={t.team} className="alert alert-danger" role="alert" data-testid="team-budget-alert">
            Team <Link href={`/costs/teams/${t.team}`}>{teamName(t.team)}</Link>: forecast {usd0(t.forecastUsd)} for{" "}
            {m.month} exceeds its budget of {usd0(t.budgetUsd ?? 0)} by {usd0(t.overByUsd)}.
          </div>
        ))}
      <nav className="row mb-16" aria-label="Range and grouping">
        <span>Range:</span>
        {[7, 30, 90].map((d) => (
          <Link
            key={d}
            className={buttonClass(s.range.days === d ? "primary" : "secondary")}
            href={qs(d, s.groupBy)}
            aria-current={s.range.days === d ? "page" : undefined}
          >
            {d} days
          </Link>
        ))}
        <span className="ml-16">Group by:</span>
        {(["team", "workloadType", "nodePool"] as const).map((g) => (
          <Link
            key={g}
            className={buttonClass(s.groupBy === g ? "primary" : "secondary")}
            href={qs(s.range.days, g)}
            aria-current={s.groupBy === g ? "page" : undefined}
          >
            {groupLabels[g]}
          </Link>
        ))}
        <span className="spacer" />
        {usage?.lastSuccessAt && (
          <span className="help" data-testid="last-ingestion">
            Data as of {utc(usage.lastSuccessAt)}
          </span>
        )}
        {usage?.dataUntil && usage.dataAgeHours !== null && usage.dataAgeHours >= 1 && (
          <span className="help" data-testid="data-lag">
            · newest hour of data ends {utc(usage.dataUntil)} ({hoursAgo(usage.dataAgeHours)})
          </span>
        )}
      </nav>
      <div className="grid grid-stats mb-16">
        <div className="card stat">
          <div className="label">Month to date ({m.month})</div>
          <div className="value">{usd0(m.monthToDateUsd)}</div>
          <div className="help">budget {m.budget.budgetUsd === null ? "not set" : usd0(m.budget.budgetUsd)}</div>
        </div>
        <div className="card stat">
          <div className="label">Forecast to month end</div>
          <div className="value" data-testid="forecast">
            {usd0(m.seasonalUsd)}
          </div>
          <div className="help">same-weekday trend; linear {usd0(m.linearUsd)}</div>
        </div>
        <div className="card stat">
          <div className="label">Idle cost in range</div>
          <div className="value">{usd0(s.totals.idleCostUsd)}</div>
          {/* "Idle" means one thing here: GPU time paid for and not used. The busy-ness of GPU-hours is labelled apart. */}
          <div className="help" data-testid="idle-breakdown">
            {share(s.totals.costUsd ? s.totals.idleCostUsd / s.totals.costUsd : 0)} of cost paid for unused GPU time.
            GPU-hours under 10% busy: {share(s.totals.idleShare)}; under 50% busy: {share(s.totals.underutilizedShare)}
          </div>
        </div>
        {s.billed && (
          <div className="card stat">
            <div className="label">Billed by AWS in range</div>
            <div className="value">{usd0(s.billed.totalUsd)}</div>
            <div className="help">
              Cost Explorer, all services{s.billed.byService[0] ? `; largest ${s.billed.byService[0].service}` : ""}
            </div>
          </div>
        )}
        <div className="card stat">
          <div className="label">Spot share</div>
          <div className="value">{share(s.spot.spotShare)}</div>
          <div className="help">saved {usd0(s.spot.savingsUsd)} against on-demand prices</div>
        </div>
      </div>
      <DailyCostChart
        keys={s.daily.keys}
        points={s.daily.points}
        totalUsd={s.daily.totalUsd}
        groupLabel={groupLabels[s.groupBy]}
        names={groupNames}
        csvHref={csv}
      />
      {/* Stacked, not side by side: the table's eight columns and the 24-hour heat map each need the full width. */}
      <div className="mt-16">
        <UtilizationTable
          rows={s.utilization}
          groupLabel={groupLabels[s.groupBy]}
          names={groupNames}
          avg={s.totals.utilizationAvg}
        />
      </div>
      <div className="mt-16">
        <HeatMap matrix={s.heatMap} />
      </div>
    </>
  );
}

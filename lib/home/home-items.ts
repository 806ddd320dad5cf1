// Pure decisions behind the home pages: which drills are due and how each team's month stands against its budget.
// Time comes in as a parameter.
import { budgetStatus } from "@/lib/costs/reports/dashboard";
import { teamMonthForecast, type UsageCoverage } from "@/lib/costs/rollups/forecast";

/** A recovery plan is exercised at least this often; older (or never) means a drill is due. */
export const DRILL_CADENCE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface PlanLastLive {
  key: string;
  name: string;
  isTemplate: boolean;
  /** Bound to a cluster: a template bound to one (the demo's seeded plans) is a plan that runs there. */
  boundToCluster: boolean;
  schedule: string | null;
  /** When its newest passed live drill finished, or null when none passed yet. */
  lastPassedLiveAt: Date | null;
}

export interface DrillDue {
  key: string;
  name: string;
  schedule: string | null;
  lastPassedLiveAt: Date | null;
  /** Days since the last passed live drill; null when there never was one. */
  daysSince: number | null;
}

/**
 * Plans without a passed live drill in the last DRILL_CADENCE_DAYS, never-passed first. Templates bound to no
 * cluster are starting points, not plans anything depends on, so they are never due.
 */
export function drillsDue(plans: readonly PlanLastLive[], now: Date): DrillDue[] {
  return plans
    .filter(
      (p) =>
        (!p.isTemplate || p.boundToCluster) &&
        (p.lastPassedLiveAt === null || now.getTime() - p.lastPassedLiveAt.getTime() > DRILL_CADENCE_DAYS * DAY_MS),
    )
    .map((p) => ({
      key: p.key,
      name: p.name,
      schedule: p.schedule,
      lastPassedLiveAt: p.lastPassedLiveAt,
      daysSince:
        p.lastPassedLiveAt === null ? null : Math.floor((now.getTime() - p.lastPassedLiveAt.getTime()) / DAY_MS),
    }))
    .sort(
      (a, b) =>
        (a.daysSince === null ? -1 : b.daysSince === null ? 1 : b.daysSince - a.daysSince) ||
        a.name.localeCompare(b.name),
    );
}

export interface TeamMonth {
  slug: string;
  name: string;
  budgetUsd: number | null;
  spentUsd: number;
  forecastUsd: number;
  /** Share of the budget spent so far (null without a budget). */
  spentShare: number | null;
  overBudget: boolean;
}

/**
 * `daily` covers the month so far and the 28 days before (the forecast's weekdays). Each team's spend this month, the
 * month-end forecast (the costs page's: teamMonthForecast over the source's coverage) and its budget, teams forecast
 * over budget first.
 */
export function teamMonths(
  teams: readonly {
    slug: string;
    name: string;
    costLabelValues?: readonly string[];
    monthlyBudgetUsd: number | null;
  }[],
  daily: readonly { team: string; day: string; costUsd: number }[],
  now: Date,
  coverage: UsageCoverage,
): TeamMonth[] {
  const rows = daily.map((d) => ({ group: d.team, day: d.day, costUsd: d.costUsd }));
  return teams
    .map((t) => {
      const own = new Set([t.slug, ...(t.costLabelValues ?? [])]);
      const forecast = teamMonthForecast(rows, own, now.getTime(), coverage);
      const spent = forecast.monthToDateUsd;
      const status = budgetStatus(forecast.seasonalUsd, t.monthlyBudgetUsd);
      return {
        slug: t.slug,
        name: t.name,
        budgetUsd: t.monthlyBudgetUsd,
        spentUsd: Math.round(spent * 100) / 100,
        forecastUsd: status.forecastUsd,
        spentShare: t.monthlyBudgetUsd ? spent / t.monthlyBudgetUsd : null,
        overBudget: status.alert,
      };
    })
    .sort(
      (a, b) =>
        Number(b.overBudget) - Number(a.overBudget) ||
        (b.spentShare ?? -1) - (a.spentShare ?? -1) ||
        a.name.localeCompare(b.name),
    );
}

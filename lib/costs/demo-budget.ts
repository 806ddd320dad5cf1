// The demo's deliberately tight team budget, so the costs dashboard's budget alert has something to show. Derived
// from the demo fleet's cost rather than written down, so it stays below the forecast when the fleet or prices change.
import { DEMO_SOURCE, demoFleet, type FleetWorkload } from "@/lib/costs/sources/demo-fleet";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";

/** NLP's on-demand A100 training overruns; its spot and scheduled-scaling advice shows the way back. */
export const TIGHT_BUDGET_TEAM = "nlp";
const TIGHT_BUDGET_SHARE = 0.9;
const SHORTEST_MONTH_DAYS = 28;

/**
 * What a team pays every day whatever its jobs and users do: its pools whose every GPU is allocated every hour. The
 * tight-budget team's pre-training run and chat model hold theirs all quarter; its experiments' nodes, its incident
 * and any autoscaled or growing pool only add to that, never take from it, so the budget stays below the forecast.
 */
export function demoTeamDailyCostUsd(team: string, fleet: readonly FleetWorkload[] = demoFleet()): number {
  return fleet
    .filter((w) => w.team === team && (w.scaling?.kind ?? "fixed") === "fixed")
    .reduce((s, w) => s + w.gpus * gpuHourlyRate("aws", w.instanceType, w.capacityType) * 24, 0);
}

/**
 * 90% of what the team always costs in the shortest month, rounded down to $1,000. Every day of the team's history
 * costs at least that floor, so its month-end forecast is at least the floor times the days of the month, whichever
 * day the demo is started or shown, and exceeds this budget by at least 10% in every month (by more on the days its
 * experiments run).
 */
export function tightDemoBudget(fleet: readonly FleetWorkload[] = demoFleet()): {
  team: string;
  monthlyBudgetUsd: number;
} {
  const shortestMonth = demoTeamDailyCostUsd(TIGHT_BUDGET_TEAM, fleet) * SHORTEST_MONTH_DAYS;
  return { team: TIGHT_BUDGET_TEAM, monthlyBudgetUsd: Math.floor((shortestMonth * TIGHT_BUDGET_SHARE) / 1000) * 1000 };
}

/**
 * The budget a team's costs are compared with: none when the demo seeded it and the costs are not the demo's, so a
 * portal switched to real data never shows a made-up budget (or its alert) against real spend.
 */
export function effectiveBudgetUsd(
  team: { monthlyBudgetUsd: unknown; budgetIsDemo: boolean },
  usageSource: string,
): number | null {
  if (team.monthlyBudgetUsd === null || team.monthlyBudgetUsd === undefined) return null;
  if (team.budgetIsDemo && usageSource !== DEMO_SOURCE) return null;
  return Number(team.monthlyBudgetUsd);
}

/**
 * What a budget a person sets writes to the team: the amount, and the demo mark cleared, so it is compared with
 * real data whatever the demo seed said before. Every place that sets a budget writes it through this.
 */
export function personSetBudget(monthlyBudgetUsd: number | null): {
  monthlyBudgetUsd: number | null;
  budgetIsDemo: false;
} {
  return { monthlyBudgetUsd, budgetIsDemo: false };
}

// What applying several recommendations saves together: advice on the same workload overlaps, so its savings do not add.
// Pure and browser-safe: the recommendation list computes the same total as the report and the API.
import type { AffectedResource } from "./recommendation-types";

/** The part of an affected resource that identifies a workload: team, node pool and, when recorded, workload type. */
export type WorkloadRef = Pick<AffectedResource, "team" | "nodePool"> & { workloadType?: string | null };

export interface SavingsItem {
  currentMonthlyUsd: number;
  projectedSavingsUsd: number;
  resources: readonly WorkloadRef[];
}

export interface CombinedSavings {
  /** The individual projected savings added up, as if none overlapped. */
  sumUsd: number;
  /** What applying all of them saves per month. */
  combinedUsd: number;
  /** Workloads that more than one recommendation changes, as "team / node pool / workload type". */
  overlappingWorkloads: string[];
}

/**
 * Two recommendations overlap when they change a common workload. Overlapping ones form a group (transitively: a
 * fleet-wide consolidation ties together every team advice in its pool), whose savings combine multiplicatively,
 * each one saving its share of what the others leave:
 *   combined = base × (1 − Π(1 − sᵢ / base)), never above base.
 * The base is the largest current monthly cost in the group. The rules measure "current" over different scopes
 * (a workload's 30-day average, the last idle week, only the committed nodes, a whole shared pool), and the largest
 * is the widest scope the group touches and the only one that holds every saving of the group (a rule never saves
 * more than its own current cost). A smaller base would count the interaction of savings more heavily than the data
 * supports; with a larger one the result tends to the plain sum. Groups of one recommendation add as they are.
 */
export function combinedSavings(items: readonly SavingsItem[]): CombinedSavings {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owners = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const key of new Set(item.resources.map(workloadRefKey))) owners.set(key, [...(owners.get(key) ?? []), i]);
  });
  for (const members of owners.values()) for (const i of members.slice(1)) parent[find(i)] = find(members[0]);

  const groups = new Map<number, SavingsItem[]>();
  items.forEach((item, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), item]));
  const sum = round2(items.reduce((s, r) => s + r.projectedSavingsUsd, 0));
  const overlapping = [...owners].filter(([, members]) => members.length > 1).map(([key]) => key).sort();
  // Without overlap the total is the sum itself, not the same figure added in another order.
  if (overlapping.length === 0) return { sumUsd: sum, combinedUsd: sum, overlappingWorkloads: [] };
  let combined = 0;
  for (const group of groups.values()) combined += groupSavings(group);
  return { sumUsd: sum, combinedUsd: round2(combined), overlappingWorkloads: overlapping };
}

function groupSavings(group: readonly SavingsItem[]): number {
  if (group.length === 1) return group[0].projectedSavingsUsd;
  const base = Math.max(...group.map((r) => r.currentMonthlyUsd));
  if (!(base > 0)) return 0;
  const remaining = group.reduce((left, r) => left * (1 - Math.min(1, Math.max(0, r.projectedSavingsUsd) / base)), 1);
  return Math.min(base, base * (1 - remaining));
}

export function workloadRefKey(r: WorkloadRef): string {
  return [r.team, r.nodePool, r.workloadType].filter((p) => p !== undefined && p !== null && p !== "").join(" / ");
}

/** The workload references of a stored recommendation's `resources` JSON; anything malformed is left out. */
export function workloadRefsOf(json: unknown): WorkloadRef[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((r: unknown) => {
    if (typeof r !== "object" || r === null) return [];
    const { team, nodePool, workloadType } = r as Record<string, unknown>;
    if (typeof team !== "string" || typeof nodePool !== "string") return [];
    return [{ team, nodePool, workloadType: typeof workloadType === "string" ? workloadType : null }];
  });
}

// Local rather than recommendation-types' round2, which would pull the price tables into the browser bundle.
function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

// What applying several recommendations saves together: advice on the same workload overlaps, so its savings do not add.
// Pure and browser-safe: the recommendation list, the API and the report combine with the same function (the list and
// the API over open recommendations, the monthly report over open and accepted ones, as it says).
import type { AffectedResource } from "./recommendation-types";

/**
 * The part of an affected resource that identifies a workload (team, node pool and, when recorded, workload type),
 * with the GPUs it holds when recorded, which weigh the workload within advice that names several.
 */
export type WorkloadRef = Pick<AffectedResource, "team" | "nodePool"> & {
  workloadType?: string | null;
  gpus?: number | null;
};

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
  /** Workloads that more than one recommendation changes, as "team name / node pool / workload type". */
  overlappingWorkloads: string[];
}

/** One recommendation's part on one workload. */
interface Share {
  currentUsd: number;
  savingsUsd: number;
}

/**
 * Savings combine per workload, never across workloads: advice that names teams A and B (a commitment to the
 * instance type both run on) changes A's and B's workloads, but it does not make A's own advice interact with B's.
 * A rule names what its saving comes from: consolidation names only the pool's unallocated capacity, which it frees,
 * so its saving adds to the advice on the teams' workloads in that pool instead of overlapping it.
 *
 * A recommendation naming several workloads is split across them by the GPUs each holds (its saving and its current
 * cost alike); when a resource does not record its GPUs, or they add up to zero, each workload gets an equal part.
 * On each workload the parts combine multiplicatively, each saving its share of what the others leave:
 *   combined = base × (1 − Π(1 − sᵢ / base)), never above base,
 * where the base is the largest current-cost part on that workload. The rules measure "current" over different scopes
 * (a workload's 30-day average, the last idle week, only the committed nodes), and the largest is
 * the widest scope and the only one that holds every saving on the workload (a rule never saves more than its own
 * current cost). A workload that one recommendation changes keeps that part as it is, up to its current cost.
 * The workloads' results then add up. Adding a recommendation therefore never lowers the total: it adds a factor
 * below one to a product, and a larger base only raises base × (1 − Π) (its derivative in the base is the
 * chance of two or more "successes", never negative).
 */
export function combinedSavings(
  items: readonly SavingsItem[],
  /** Team slug to the name people know it by, for `overlappingWorkloads`; the slug itself by default. */
  teamName: (slug: string) => string = (slug) => slug,
): CombinedSavings {
  const byWorkload = new Map<string, Share[]>();
  const labels = new Map(
    items.flatMap((item) =>
      item.resources.map((r) => [workloadRefKey(r), workloadRefKey({ ...r, team: teamName(r.team) })]),
    ),
  );
  const split = items.map((item, i) => {
    const parts = sharesOf(item, `\u0000${i}`);
    for (const [key, share] of parts) byWorkload.set(key, [...(byWorkload.get(key) ?? []), share]);
    return parts;
  });
  const overlapping = [...byWorkload]
    .filter(([, shares]) => shares.length > 1)
    .map(([key]) => labels.get(key) ?? key)
    .sort();
  // Advice alone on every workload it names adds as it is (up to its cost) rather than as parts added back up, so
  // advice on disjoint workloads adds to exactly the sum; the parts would give the same figure but for rounding.
  const alone = split.map((parts) => parts.every(([key]) => byWorkload.get(key)!.length === 1));
  let combined = 0;
  items.forEach((item, i) => {
    if (alone[i])
      combined += workloadSavings([{ currentUsd: item.currentMonthlyUsd, savingsUsd: item.projectedSavingsUsd }]);
  });
  const shared = new Set(split.flatMap((parts, i) => (alone[i] ? [] : parts.map(([key]) => key))));
  for (const key of [...shared].sort()) combined += workloadSavings(byWorkload.get(key)!);
  const sum = round2(items.reduce((s, r) => s + r.projectedSavingsUsd, 0));
  return { sumUsd: sum, combinedUsd: round2(combined), overlappingWorkloads: overlapping };
}

/** The item's part on each workload it names; advice naming none stands alone under `ownKey`. */
function sharesOf(item: SavingsItem, ownKey: string): [string, Share][] {
  const gpus = new Map<string, number>();
  for (const r of item.resources)
    gpus.set(workloadRefKey(r), (gpus.get(workloadRefKey(r)) ?? 0) + (isGpuCount(r.gpus) ? r.gpus : NaN));
  if (gpus.size === 0) return [[ownKey, { currentUsd: item.currentMonthlyUsd, savingsUsd: item.projectedSavingsUsd }]];
  // A resource without its GPUs makes the sum NaN: then every workload of the item gets an equal part.
  const total = [...gpus.values()].reduce((s, g) => s + g, 0);
  return [...gpus].map(([key, g]) => {
    const part = total > 0 ? g / total : 1 / gpus.size;
    return [key, { currentUsd: item.currentMonthlyUsd * part, savingsUsd: item.projectedSavingsUsd * part }];
  });
}

function isGpuCount(g: unknown): g is number {
  return typeof g === "number" && Number.isFinite(g) && g >= 0;
}

function workloadSavings(shares: readonly Share[]): number {
  const base = Math.max(...shares.map((s) => s.currentUsd));
  if (!(base > 0)) return 0;
  const remaining = shares.reduce((left, s) => left * (1 - Math.min(1, Math.max(0, s.savingsUsd) / base)), 1);
  return Math.min(base, base * (1 - remaining));
}

function workloadRefKey(r: WorkloadRef): string {
  return [r.team, r.nodePool, r.workloadType].filter((p) => p !== undefined && p !== null && p !== "").join(" / ");
}

/** The workload references of a stored recommendation's `resources` JSON; anything malformed is left out. */
export function workloadRefsOf(json: unknown): WorkloadRef[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((r: unknown) => {
    if (typeof r !== "object" || r === null) return [];
    const { team, nodePool, workloadType, gpus } = r as Record<string, unknown>;
    if (typeof team !== "string" || typeof nodePool !== "string") return [];
    return [
      {
        team,
        nodePool,
        workloadType: typeof workloadType === "string" ? workloadType : null,
        gpus: isGpuCount(gpus) ? gpus : null,
      },
    ];
  });
}

// Local rather than recommendation-types' round2, which would pull the price tables into the browser bundle.
// GPU shares make exact half cents common (1/8 of a cent figure), and the same parts added in another order differ in
// the last bits; a nudge of a millionth of a cent rounds such a half cent up whichever way the bits fall, so adding
// advice that changes nothing cannot move the total down a cent.
function round2(v: number): number {
  return Math.round(v * 100 + 1e-6) / 100;
}

// OpenCost's shareIdle for GPUs: the cost of a pool's unallocated (idle, unrequested) GPUs each day is shared
// among the teams that used that pool that day, in proportion to their GPU-hours there. Pure.
import type { DailyGroupCost } from "@/lib/costs/reports/dashboard";
import { UNALLOCATED_TEAM } from "@/lib/costs/schema";

export interface PoolDayCost {
  day: string;
  team: string;
  nodePool: string;
  costUsd: number;
  idleCostUsd: number;
  gpuHoursAllocated: number;
  gpuHoursUsed: number;
}

export interface SharedIdleCost extends DailyGroupCost {
  /** The part of costUsd that is other capacity's idle cost shared onto this team. */
  sharedIdleUsd: number;
}

export interface TeamCostBothWays {
  team: string;
  /** Its own GPUs' cost, idle ones included; unallocated capacity is its own line. */
  ownUsd: number;
  sharedIdleUsd: number;
  /** own + shared idle (OpenCost shareIdle). */
  withSharedIdleUsd: number;
}

/**
 * Daily cost per team with each pool-day's unallocated cost shared out. A pool-day whose capacity no team used keeps
 * its cost on "unallocated": sharing never makes money disappear, so the totals are the same both ways.
 */
export function shareIdleCost(rows: readonly PoolDayCost[]): SharedIdleCost[] {
  const teamRows = new Map<string, PoolDayCost[]>();
  for (const r of rows)
    if (r.team !== UNALLOCATED_TEAM)
      teamRows.set(`${r.day}|${r.nodePool}`, [...(teamRows.get(`${r.day}|${r.nodePool}`) ?? []), r]);
  const out = new Map<string, SharedIdleCost>();
  const add = (day: string, team: string, delta: Partial<SharedIdleCost>) => {
    const k = `${day}|${team}`;
    const acc = out.get(k) ?? {
      day,
      group: team,
      costUsd: 0,
      idleCostUsd: 0,
      gpuHoursAllocated: 0,
      gpuHoursUsed: 0,
      sharedIdleUsd: 0,
    };
    acc.costUsd += delta.costUsd ?? 0;
    acc.idleCostUsd += delta.idleCostUsd ?? 0;
    acc.gpuHoursAllocated += delta.gpuHoursAllocated ?? 0;
    acc.gpuHoursUsed += delta.gpuHoursUsed ?? 0;
    acc.sharedIdleUsd += delta.sharedIdleUsd ?? 0;
    out.set(k, acc);
  };
  for (const r of rows) {
    const users = teamRows.get(`${r.day}|${r.nodePool}`) ?? [];
    const used = users.reduce((s, t) => s + t.gpuHoursAllocated, 0);
    if (r.team !== UNALLOCATED_TEAM || used <= 0) {
      add(r.day, r.team, r);
      continue;
    }
    for (const t of users) {
      const share = t.gpuHoursAllocated / used;
      add(r.day, t.team, {
        costUsd: r.costUsd * share,
        idleCostUsd: r.idleCostUsd * share,
        sharedIdleUsd: r.costUsd * share,
      });
    }
  }
  return [...out.values()].sort((a, b) => a.day.localeCompare(b.day) || a.group.localeCompare(b.group));
}

// Which hours of a node pool's cost belong to which applied request, for "cost since applied" on a team's page.
// A request owns its pools from its apply until it is reverted, or until a later request of the team applies the
// same pool (a resize, a new instance type): from then on the pool runs as the later request configured it, so its
// cost is the later request's. Each hour of a pool is charged to one request at most, so the column adds up.

export interface AppliedRequestPools {
  id: string;
  /** Epoch ms of the apply. */
  appliedAt: number;
  /** Epoch ms of a successful revert, if any. */
  revertedAt: number | null;
  nodePools: readonly string[];
}

export interface PoolWindow {
  requestId: string;
  nodePool: string;
  /** [from, to) in epoch ms; empty windows are left out. */
  from: number;
  to: number;
}

export function requestCostWindows(requests: readonly AppliedRequestPools[], now: number): PoolWindow[] {
  const byPool = new Map<string, AppliedRequestPools[]>();
  for (const r of requests) for (const pool of new Set(r.nodePools)) byPool.set(pool, [...(byPool.get(pool) ?? []), r]);
  const windows: PoolWindow[] = [];
  for (const [nodePool, holders] of byPool) {
    const ordered = [...holders].sort((a, b) => a.appliedAt - b.appliedAt || a.id.localeCompare(b.id));
    ordered.forEach((r, i) => {
      const next = ordered[i + 1]?.appliedAt ?? Infinity;
      const to = Math.min(now, r.revertedAt ?? Infinity, next);
      if (to > r.appliedAt) windows.push({ requestId: r.id, nodePool, from: r.appliedAt, to });
    });
  }
  return windows;
}

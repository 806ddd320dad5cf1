// GPU quota arithmetic over ResourceQuota objects: what is left of requests.nvidia.com/gpu in a namespace.
export const gpuQuotaKey = "requests.nvidia.com/gpu";

interface QuotaLike {
  metadata?: { name?: string };
  spec?: { hard?: Record<string, unknown> };
  status?: { hard?: Record<string, unknown>; used?: Record<string, unknown> };
}

const suffixes: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** Parses a Kubernetes quantity ("8", "500m", "2k"); undefined when absent or malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|Ki|Mi|Gi)?$/.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? suffixes[m[2]] : 1)!;
}

export interface GpuQuotaState {
  quotaName: string;
  hard: number;
  used: number;
}

/** The tightest GPU quota among a namespace's ResourceQuotas (every quota applies), or undefined if none limits GPUs. */
export function tightestGpuQuota(quotas: readonly QuotaLike[]): GpuQuotaState | undefined {
  let tightest: GpuQuotaState | undefined;
  for (const q of quotas) {
    const hard = parseQuantity(q.status?.hard?.[gpuQuotaKey] ?? q.spec?.hard?.[gpuQuotaKey]);
    if (hard === undefined) continue;
    const used = parseQuantity(q.status?.used?.[gpuQuotaKey]) ?? 0;
    if (!tightest || hard - used < tightest.hard - tightest.used)
      tightest = { quotaName: q.metadata?.name ?? "", hard, used };
  }
  return tightest;
}

export type GpuQuotaVerdict =
  | { ok: true; namespace: string; requested: number; quota?: GpuQuotaState }
  | {
      ok: false;
      reason: "quota_exceeded";
      namespace: string;
      quotaName: string;
      hard: number;
      used: number;
      requested: number;
      message: string;
      /** The reference design's recovery for quota_exceeded: request a quota increase, or optimize. */
      recovery: string[];
    };

export function evaluateGpuQuota(namespace: string, requested: number, quotas: readonly QuotaLike[]): GpuQuotaVerdict {
  const quota = tightestGpuQuota(quotas);
  if (!quota || quota.used + requested <= quota.hard)
    return { ok: true, namespace, requested, ...(quota ? { quota } : {}) };
  return {
    ok: false,
    reason: "quota_exceeded",
    namespace,
    quotaName: quota.quotaName,
    hard: quota.hard,
    used: quota.used,
    requested,
    recovery: [
      `Request a quota increase: ask a platform admin to raise ${gpuQuotaKey} in ResourceQuota ${quota.quotaName} (namespace ${namespace}) to at least ${quota.used + requested}`,
      `Optimize: request at most ${Math.max(0, quota.hard - quota.used)} GPUs (fewer replicas or smaller GPU counts per pod), or free GPUs by scaling down idle workloads in ${namespace}`,
    ],
    message: `namespace ${namespace} has ${quota.hard - quota.used} of ${quota.hard} GPUs free (ResourceQuota ${quota.quotaName}, ${gpuQuotaKey}) but the request needs ${requested}: lower the GPU count, free GPUs in ${namespace}, or ask a platform admin to raise the quota`,
  };
}

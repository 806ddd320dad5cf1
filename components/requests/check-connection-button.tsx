"use client";
// Asks the server to reach the cluster with its configured credentials: reachable, accepted, GPU quota.
import { useState } from "react";
import type { ResultOf } from "@/lib/client/api-client";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";

type CheckResult = ResultOf<typeof api.clusters.check>;
type QuotaEntry = NonNullable<CheckResult["gpuQuota"]>[number];

// One verdict per namespace: within quota (with the quota, when one limits GPUs) or over it.
function describeQuota(q: QuotaEntry): string {
  const state = q.ok ? q.quota : q;
  if (!state) return `${q.namespace}: no GPU quota (nvidia.com/gpu is not limited)`;
  return `${q.namespace}: ${state.used} of ${state.hard} GPUs used (quota ${state.quotaName}), ${Math.max(0, state.hard - state.used)} available`;
}

export function CheckConnectionButton({ clusterId, clusterName }: { clusterId: string; clusterName: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; quota?: CheckResult["gpuQuota"] } | null>(null);
  const checkCluster = useApiMutation(api.clusters.check);
  async function check() {
    setBusy(true);
    try {
      const data = await checkCluster.mutateAsync({ path: { id: clusterId } });
      setResult({ ok: data.accessible, text: data.message, quota: data.gpuQuota });
    } catch (e) {
      setResult({ ok: false, text: asApiError(e).message });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <Button size="sm" onClick={check} disabled={busy} aria-label={`Check connection to ${clusterName}`}>
        {busy ? "Checking…" : "Check connection"}
      </Button>
      {result && (
        <div role="status" className={result.ok ? "help" : "field-error"} data-testid="connection-result">
          {result.ok ? "✓ " : "✗ "}
          {result.text}
          {result.quota && result.quota.length > 0 && (
            <ul className="help">
              {result.quota.map((q) => (
                <li key={q.namespace}>{describeQuota(q)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

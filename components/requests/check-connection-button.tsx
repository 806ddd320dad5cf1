"use client";
// Asks the server to reach the cluster with its configured credentials: reachable, accepted, GPU quota.
import { useState } from "react";
import { postJson } from "./post-json";
import { Button } from "@/components/ui/button";

interface CheckResult {
  accessible: boolean;
  message: string;
  gpuQuota?: QuotaEntry[];
}

// One verdict per namespace: within quota ({ quota?: {quotaName, hard, used} }) or over it (fields inline).
interface QuotaEntry {
  namespace: string;
  quota?: { quotaName: string; hard: number; used: number };
  quotaName?: string;
  hard?: number;
  used?: number;
}

function describeQuota(q: QuotaEntry): string {
  const state =
    q.quota ??
    (q.quotaName !== undefined ? { quotaName: q.quotaName, hard: q.hard ?? 0, used: q.used ?? 0 } : undefined);
  if (!state) return `${q.namespace}: no GPU quota (nvidia.com/gpu is not limited)`;
  return `${q.namespace}: ${state.used} of ${state.hard} GPUs used (quota ${state.quotaName}), ${Math.max(0, state.hard - state.used)} available`;
}

export function CheckConnectionButton({ clusterId, clusterName }: { clusterId: string; clusterName: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; quota?: CheckResult["gpuQuota"] } | null>(null);
  async function check() {
    setBusy(true);
    const r = await postJson<CheckResult>(`/api/v1/clusters/${clusterId}/check`);
    setBusy(false);
    if (r.ok && r.data) setResult({ ok: r.data.accessible, text: r.data.message, quota: r.data.gpuQuota });
    else setResult({ ok: false, text: r.error?.message ?? "The check failed." });
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

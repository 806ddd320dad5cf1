import "server-only";
// The pre-conditions of a request's apply, run both by the dry-run (so an admin sees them before approving) and by
// the apply job (which stops on them): the cluster answers, and each namespace's GPU ResourceQuota holds the plan.
import { readLiveObjects } from "@/lib/k8s/drift.server";
import type { KubernetesClient } from "@/lib/k8s/create-client.server";
import { refOf } from "@/lib/k8s/object-ref";
import { checkClusterAccessible, checkGpuQuota } from "@/lib/k8s/preconditions.server";
import type { KubernetesObject } from "@/lib/k8s/types";
import { gpuDemand } from "./gpu-demand";

/** GPUs the plan adds per namespace, beyond what its own objects already hold in the cluster (a re-apply). */
export async function additionalGpuDemand(client: KubernetesClient, objects: readonly KubernetesObject[]) {
  const wanted = gpuDemand(objects);
  if (!wanted.length) return wanted;
  const gpuKinds = new Set(["Deployment", "StatefulSet", "Job", "ScaledObject"]);
  const live = await readLiveObjects(client, objects.filter((o) => gpuKinds.has(o.kind)).map(refOf));
  const held = new Map(gpuDemand(live.flatMap((l) => (l.found === true ? [l.live] : []))).map((d) => [d.namespace, d]));
  return wanted.map((d) => ({
    namespace: d.namespace,
    floor: Math.max(0, d.floor - (held.get(d.namespace)?.floor ?? 0)),
    ceiling: Math.max(0, d.ceiling - (held.get(d.namespace)?.floor ?? 0)),
  }));
}

export interface NamespaceQuotaCheck {
  namespace: string;
  /** GPUs the plan needs at its minimum scale (must fit) and at full scale (autoscaling stops at the quota). */
  needed: number;
  neededAtPeak: number;
  /** GPUs the namespace's tightest ResourceQuota leaves free; null when no ResourceQuota limits GPUs there. */
  left: number | null;
  quotaName: string | null;
  hard: number | null;
  used: number | null;
  verdict: "fits" | "fits_floor_only" | "exceeded";
  message: string;
}

export interface PreconditionReport {
  ok: boolean;
  /** "pass": every pre-condition holds; "warning": the apply would run but autoscaling stops at a quota; "fail": the apply would stop. */
  verdict: "pass" | "warning" | "fail";
  summary: string;
  reachability: { ok: boolean; message: string };
  quota: NamespaceQuotaCheck[];
  /** Why the quota could not be read (an API error), when it could not. */
  quotaError?: string;
}

function namespaceCheck(
  namespace: string,
  needed: number,
  neededAtPeak: number,
  quota: { quotaName: string; hard: number; used: number } | undefined,
): NamespaceQuotaCheck {
  if (!quota)
    return {
      namespace,
      needed,
      neededAtPeak,
      left: null,
      quotaName: null,
      hard: null,
      used: null,
      verdict: "fits",
      message: `no ResourceQuota limits GPUs in ${namespace}`,
    };
  const left = Math.max(0, quota.hard - quota.used);
  const base = {
    namespace,
    needed,
    neededAtPeak,
    left,
    quotaName: quota.quotaName,
    hard: quota.hard,
    used: quota.used,
  };
  if (needed > left)
    return {
      ...base,
      verdict: "exceeded",
      message: `needs ${needed} GPUs in ${namespace}, ResourceQuota ${quota.quotaName} leaves ${left} of ${quota.hard}: lower the request or ask a platform admin to raise the quota`,
    };
  if (neededAtPeak > left)
    return {
      ...base,
      verdict: "fits_floor_only",
      message: `needs ${needed} GPUs at minimum scale (${left} of ${quota.hard} left in ResourceQuota ${quota.quotaName}), but ${neededAtPeak} at full scale: autoscaling will stop at the quota`,
    };
  return {
    ...base,
    verdict: "fits",
    message: `needs ${neededAtPeak} GPUs in ${namespace}, ResourceQuota ${quota.quotaName} leaves ${left} of ${quota.hard}`,
  };
}

/** Reachability, then the GPU quota of every namespace the plan puts GPU workloads in. Reads only. */
export async function checkRequestPreconditions(
  client: KubernetesClient,
  objects: readonly KubernetesObject[],
): Promise<PreconditionReport> {
  const access = await checkClusterAccessible(client);
  if (!access.ok) {
    return {
      ok: false,
      verdict: "fail",
      summary: `The cluster cannot be reached: ${access.message}`,
      reachability: { ok: false, message: access.message },
      quota: [],
    };
  }
  const reachability = {
    ok: true,
    message: `the API server ${access.server} answers and accepts the portal's credentials`,
  };
  const demand = await additionalGpuDemand(client, objects);
  const quota: NamespaceQuotaCheck[] = [];
  for (const d of demand) {
    // One namespace at a time, so the tightest quota's numbers are those of this namespace.
    const read = await checkGpuQuota(client, [{ namespace: d.namespace, gpus: d.floor }]);
    if (!read.ok && !("namespaces" in read))
      return {
        ok: false,
        verdict: "fail",
        summary: `Could not read the GPU quota: ${read.message}`,
        reachability,
        quota,
        quotaError: read.message,
      };
    const verdict = read.namespaces[0];
    // Asked about one namespace, so the answer has exactly one verdict.
    if (!verdict) throw new Error(`GPU quota check returned no verdict for ${d.namespace}`);
    const state = verdict.ok ? verdict.quota : { quotaName: verdict.quotaName, hard: verdict.hard, used: verdict.used };
    quota.push(namespaceCheck(d.namespace, d.floor, d.ceiling, state));
  }
  const exceeded = quota.filter((q) => q.verdict === "exceeded");
  if (exceeded.length)
    return {
      ok: false,
      verdict: "fail",
      summary: `GPU quota exceeded: ${exceeded.map((q) => q.message).join("; ")}. Approving now would fail at apply.`,
      reachability,
      quota,
    };
  const capped = quota.filter((q) => q.verdict === "fits_floor_only");
  if (capped.length)
    return {
      ok: true,
      verdict: "warning",
      summary: `The apply fits, but ${capped.map((q) => q.message).join("; ")}.`,
      reachability,
      quota,
    };
  return {
    ok: true,
    verdict: "pass",
    summary: quota.length
      ? "The cluster answers and every namespace's GPU quota holds the plan at full scale."
      : "The cluster answers; the plan requests no GPUs.",
    reachability,
    quota,
  };
}

import "server-only";
// Post-conditions after an apply: the objects exist, the workloads are ready, and monitoring is wired.
import type { KubernetesApiFailure } from "./api-errors";
import type { KubernetesClient } from "./create-client.server";
import { readLiveObjects } from "./drift.server";
import { type MonitoringVerdict, monitoringEvidence } from "./monitoring-evidence";
import { type ObjectRef, describeRef, refOf } from "./object-ref";
import { callWithRetries, type RetryOptions } from "./retry-policy";
import type { KubernetesObject } from "./types";
import { workloadKinds, workloadReadiness } from "./workload-readiness";

export interface ObjectsExistCheck {
  ok: boolean;
  missing: ObjectRef[];
  unknown: Array<{ ref: ObjectRef; failure: KubernetesApiFailure }>;
  message: string;
}

export async function checkObjectsExist(
  client: KubernetesClient,
  refs: readonly ObjectRef[],
  retry: RetryOptions = {},
): Promise<ObjectsExistCheck> {
  const live = await readLiveObjects(client, refs, retry);
  const missing = live.filter((l) => l.found === false).map((l) => l.ref);
  const unknown = live.flatMap((l) => (l.found === "unknown" ? [{ ref: l.ref, failure: l.failure }] : []));
  return {
    ok: missing.length === 0 && unknown.length === 0,
    missing,
    unknown,
    message:
      missing.length === 0 ? `${refs.length} object(s) exist` : `missing: ${missing.map(describeRef).join(", ")}`,
  };
}

export interface WorkloadCheck {
  ref: ObjectRef;
  ready: boolean;
  detail: string;
  failure?: KubernetesApiFailure;
}

export async function checkWorkloadsReady(
  client: KubernetesClient,
  refs: readonly ObjectRef[],
  retry: RetryOptions = {},
): Promise<{ ok: boolean; workloads: WorkloadCheck[] }> {
  const live = await readLiveObjects(
    client,
    refs.filter((r) => workloadKinds.has(r.kind)),
    retry,
  );
  const workloads = live.map((l): WorkloadCheck => {
    if (l.found === true)
      return { ref: l.ref, ...workloadReadiness(l.live as Parameters<typeof workloadReadiness>[0]) };
    if (l.found === false) return { ref: l.ref, ready: false, detail: "not found" };
    return { ref: l.ref, ready: false, detail: l.failure.message, failure: l.failure };
  });
  return { ok: workloads.every((w) => w.ready), workloads };
}

const monitoringKinds = [
  { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor" },
  { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor" },
  { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject" },
  { apiVersion: "v1", kind: "Service" },
];

/** Looks at the live cluster, not only the plan: a ServiceMonitor someone else installed also counts. */
export async function checkMonitoringConfigured(
  client: KubernetesClient,
  applied: readonly KubernetesObject[],
  retry: RetryOptions = {},
): Promise<{ ok: boolean; workloads: MonitoringVerdict[] }> {
  const workloads = applied.filter((o) => workloadKinds.has(o.kind));
  const namespaces = [...new Set(workloads.map((w) => w.metadata.namespace).filter((n): n is string => !!n))];
  const related: KubernetesObject[] = [];
  for (const namespace of namespaces) {
    for (const { apiVersion, kind } of monitoringKinds) {
      const list = await callWithRetries(() => client.objects.list(apiVersion, kind, namespace), {
        ...retry,
        knownSecrets: client.knownSecrets,
      });
      // A kind that is not installed (no Prometheus operator, no KEDA) is simply no evidence.
      if (!list.ok) continue;
      for (const item of list.value.items) {
        const name = item.metadata?.name;
        // Every object the API server lists has a name; one without could not be matched to a workload anyway.
        if (name) related.push({ ...item, apiVersion, kind, metadata: { ...item.metadata, name } });
      }
    }
  }
  const live = await readLiveObjects(client, workloads.map(refOf), retry);
  const verdicts = workloads.map((w, i) => {
    const entry = live[i];
    return monitoringEvidence(entry?.found === true ? entry.live : w, related);
  });
  return { ok: verdicts.every((v) => v.configured), workloads: verdicts };
}

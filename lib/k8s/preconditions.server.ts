import "server-only";
// Pre-conditions of an apply: the API server answers, accepts the credentials, and the namespaces have GPU quota.
import type { KubernetesApiFailure } from "./api-errors";
import type { KubernetesClient } from "./create-client.server";
import { type GpuQuotaVerdict, evaluateGpuQuota } from "./gpu-quota";
import { type RetryOptions, callWithRetries } from "./retry-policy";

export type ClusterAccessResult =
  | { ok: true; server: string }
  | {
      ok: false;
      reason: "unreachable" | "credentials_rejected" | "forbidden" | "api_error";
      message: string;
      failure: KubernetesApiFailure;
    };

function whose(client: KubernetesClient): string {
  return client.contextName ? `kubeconfig context "${client.contextName}"` : "the portal's service account";
}

export async function checkClusterAccessible(
  client: KubernetesClient,
  retry: RetryOptions = { policy: { maxAttempts: 2 } },
): Promise<ClusterAccessResult> {
  // Discovery of the core group is what every apply needs first, and it requires authentication.
  const answer = await callWithRetries(() => client.core.getAPIResources(), {
    ...retry,
    knownSecrets: client.knownSecrets,
  });
  if (answer.ok) return { ok: true, server: client.server };
  const failure = answer.failure;
  if (failure.kind === "network" || failure.kind === "timeout") {
    return {
      ok: false,
      reason: "unreachable",
      failure,
      message: `the API server ${client.server} did not answer (${failure.message}): check the cluster's API server address and that the portal can reach it`,
    };
  }
  if (failure.code === 401) {
    return {
      ok: false,
      reason: "credentials_rejected",
      failure,
      message: `the API server ${client.server} rejected the credentials of ${whose(client)} (401 Unauthorized): renew the token or certificate in the server's kubeconfig`,
    };
  }
  if (failure.code === 403) {
    return {
      ok: false,
      reason: "forbidden",
      failure,
      message: `the credentials of ${whose(client)} are valid but may not read API discovery on ${client.server} (403 Forbidden): grant the portal's identity the role it needs`,
    };
  }
  // Only the status code: the answer's body (and the Status in it) is the remote server's text, not ours to repeat.
  const answered = failure.code ? `HTTP ${failure.code}` : "with an error";
  return {
    ok: false,
    reason: "api_error",
    failure,
    message: `the API server ${client.server} answered ${answered} to API discovery: check the API server's health and logs`,
  };
}

export interface GpuRequest {
  namespace: string;
  gpus: number;
}

export type GpuQuotaCheck =
  | { ok: true; namespaces: GpuQuotaVerdict[] }
  | (Extract<GpuQuotaVerdict, { ok: false }> & { namespaces: GpuQuotaVerdict[] })
  | { ok: false; reason: "api_error"; namespace: string; message: string; failure: KubernetesApiFailure };

export async function checkGpuQuota(
  client: KubernetesClient,
  requests: readonly GpuRequest[],
  retry: RetryOptions = {},
): Promise<GpuQuotaCheck> {
  const perNamespace = new Map<string, number>();
  for (const r of requests) perNamespace.set(r.namespace, (perNamespace.get(r.namespace) ?? 0) + r.gpus);
  const verdicts: GpuQuotaVerdict[] = [];
  for (const [namespace, gpus] of perNamespace) {
    const list = await callWithRetries(() => client.core.listNamespacedResourceQuota({ namespace }), {
      ...retry,
      knownSecrets: client.knownSecrets,
    });
    if (!list.ok)
      return {
        ok: false,
        reason: "api_error",
        namespace,
        failure: list.failure,
        message: `could not read ResourceQuotas in ${namespace}: ${list.failure.message}`,
      };
    verdicts.push(evaluateGpuQuota(namespace, gpus, list.value.items));
  }
  const exceeded = verdicts.find((v): v is Extract<GpuQuotaVerdict, { ok: false }> => !v.ok);
  return exceeded ? { ...exceeded, namespaces: verdicts } : { ok: true, namespaces: verdicts };
}

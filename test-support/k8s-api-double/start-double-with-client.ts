// Test helper: a fresh API double and the portal's own client for it (the production code path).
import { createKubernetesClient, type KubernetesClient } from "@/lib/k8s/create-client.server";
import {
  type KubernetesApiDouble,
  type KubernetesApiDoubleOptions,
  createManualClock,
  startKubernetesApiDouble,
} from "./kubernetes-api-double";

export async function startDoubleWithClient(
  options: KubernetesApiDoubleOptions & { requestTimeoutMs?: number } = {},
): Promise<{ double: KubernetesApiDouble; client: KubernetesClient; clock: ReturnType<typeof createManualClock> }> {
  const clock = createManualClock();
  const double = await startKubernetesApiDouble({ clock, reconcileIntervalMs: 0, ...options });
  const created = createKubernetesClient(
    { apiServer: double.url, credentialRef: `kubeconfig-context:${double.contextName}` },
    { kubeconfigYaml: double.kubeconfigYaml, requestTimeoutMs: options.requestTimeoutMs ?? 2000 },
  );
  if (!created.ok) throw new Error(created.message);
  return { double, client: created.client, clock };
}

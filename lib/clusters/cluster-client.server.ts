import "server-only";
import { createKubernetesClient, type KubernetesClient } from "@/lib/k8s/create-client.server";
import { HttpError } from "@/lib/http/errors";

/** A Kubernetes client for a registered cluster; the kubeconfig file is the server's configuration (PORTAL_KUBECONFIG). */
export function clientForCluster(target: { name: string; apiServer: string; credentialRef: string }): { ok: true; client: KubernetesClient } | { ok: false; message: string } {
  const result = createKubernetesClient({ apiServer: target.apiServer, credentialRef: target.credentialRef }, { kubeconfigPath: process.env.PORTAL_KUBECONFIG });
  if (!result.ok) return { ok: false, message: `cluster "${target.name}": ${result.message}` };
  return result;
}

export function requireClusterClient(target: { name: string; apiServer: string; credentialRef: string }): KubernetesClient {
  const result = clientForCluster(target);
  if (!result.ok) throw new HttpError(422, "cluster_unavailable", result.message);
  return result.client;
}

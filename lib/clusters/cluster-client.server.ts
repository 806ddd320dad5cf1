import "server-only";
import {
  createKubernetesClient,
  type KubernetesClient,
  type KubernetesClientConfig,
} from "@/lib/k8s/create-client.server";
import { DomainError } from "@/lib/errors/domain-error";
import { getSetting } from "@/lib/env/get-env";

/** Where the server's cluster credentials live: the kubeconfig file named by PORTAL_KUBECONFIG (or the pod's account). */
export function kubeconfigOfServer(): KubernetesClientConfig {
  return { kubeconfigPath: getSetting("PORTAL_KUBECONFIG") };
}

/**
 * A Kubernetes client for a registered cluster. createKubernetesClient refuses a target whose apiServer is not its
 * credentials' own server, so a row stored by any path (an older registration, a hand edit) cannot redirect them.
 */
export function clientForCluster(target: {
  name: string;
  apiServer: string;
  credentialRef: string;
}): { ok: true; client: KubernetesClient } | { ok: false; message: string } {
  const result = createKubernetesClient(
    { apiServer: target.apiServer, credentialRef: target.credentialRef },
    kubeconfigOfServer(),
  );
  if (!result.ok) return { ok: false, message: `cluster "${target.name}": ${result.message}` };
  return result;
}

export function requireClusterClient(target: {
  name: string;
  apiServer: string;
  credentialRef: string;
}): KubernetesClient {
  const result = clientForCluster(target);
  if (!result.ok) throw new DomainError("cluster_unavailable", result.message);
  return result.client;
}

import "server-only";
import { can, type PortalUser } from "@/lib/auth/permissions";
import { listKubeconfigContexts as contextsOf } from "@/lib/k8s/create-client.server";
import { kubeconfigOfServer } from "./cluster-client.server";

/**
 * The server kubeconfig's context names and API servers (never credentials), for those who register clusters: the
 * form shows where each context's credentials go. Anyone else, or an unreadable kubeconfig, gets an empty list.
 */
export function listKubeconfigContexts({ actor }: { actor: PortalUser }): { name: string; apiServer?: string }[] {
  if (!can(actor, "cluster.manage")) return [];
  const listed = contextsOf(kubeconfigOfServer());
  return listed.ok ? listed.contexts.map((c) => ({ name: c.name, apiServer: c.apiServer })) : [];
}

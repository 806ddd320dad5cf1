// Namespaces the portal never writes a request's workloads into. Kubernetes' own namespaces are protected on every
// cluster (a default-deny NetworkPolicy or a quota there breaks the cluster itself, and `default` is where
// unlabelled things land); a cluster target adds its own list (ClusterTarget.protectedNamespaces), which the DR drill
// guard also uses. Pure: the plan schema runs it in the browser for the live preview.

/** Protected on every cluster, whatever its registration says. */
export const systemNamespaces: readonly string[] = ["kube-system", "kube-public", "kube-node-lease", "default"];

export function isSystemNamespace(namespace: string): boolean {
  return systemNamespaces.includes(namespace);
}

/** Why `namespaces.<role>` may not name a system namespace, and what to use instead. */
export function systemNamespaceMessage(role: string, namespace: string): string {
  return `namespaces.${role} is "${namespace}", a Kubernetes system namespace the portal never writes to: use a namespace of your own, e.g. "ml-${role.replace(/_/g, "-")}"`;
}

/** The namespaces that are protected on a cluster whose registration lists `clusterProtected`. */
export function protectedNamespacesOf(clusterProtected: readonly string[]): string[] {
  return [...new Set([...systemNamespaces, ...clusterProtected])];
}

export interface ProtectedNamespaceIssue {
  /** The input field that names the namespace, e.g. "namespaces.inference". */
  path: string;
  namespace: string;
  message: string;
}

/**
 * The namespace fields of a plan input (`namespaces.<role>`) that name a protected namespace of the cluster, with a
 * message that names the field and the fix.
 */
export function protectedNamespaceIssues(
  namespaces: Readonly<Record<string, string>>,
  clusterProtected: readonly string[],
  clusterName?: string,
): ProtectedNamespaceIssue[] {
  const guarded = new Set(protectedNamespacesOf(clusterProtected));
  return Object.entries(namespaces)
    .filter(([, namespace]) => guarded.has(namespace))
    .map(([role, namespace]) => ({
      path: `namespaces.${role}`,
      namespace,
      message: isSystemNamespace(namespace)
        ? systemNamespaceMessage(role, namespace)
        : `namespaces.${role} is "${namespace}", which is protected on cluster ${clusterName ? `"${clusterName}"` : "the target cluster"}: use another namespace, or ask a platform admin`,
    }));
}

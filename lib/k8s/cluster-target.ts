// How the portal reaches a registered cluster. The reference names where credentials live on the server
// (a kubeconfig context, or the pod's service account); credentials themselves never enter the database.
export interface ClusterTarget {
  apiServer: string;
  /** "kubeconfig-context:<context>" (in the server's kubeconfig file) or "in-cluster". */
  credentialRef: string;
}

export type CredentialRef = { type: "kubeconfig-context"; context: string } | { type: "in-cluster" };

export type ParsedCredentialRef = { ok: true; value: CredentialRef } | { ok: false; message: string };

const contextPrefix = "kubeconfig-context:";

export function parseCredentialRef(ref: string): ParsedCredentialRef {
  const trimmed = ref.trim();
  if (trimmed === "in-cluster") return { ok: true, value: { type: "in-cluster" } };
  if (trimmed.startsWith(contextPrefix) && trimmed.length > contextPrefix.length) {
    return { ok: true, value: { type: "kubeconfig-context", context: trimmed.slice(contextPrefix.length) } };
  }
  return {
    ok: false,
    message: `credentialRef "${trimmed}" is not understood: use "kubeconfig-context:<context name>" or "in-cluster"`,
  };
}

export function validateApiServerUrl(apiServer: string): { ok: true } | { ok: false; message: string } {
  try {
    const url = new URL(apiServer);
    if (url.protocol === "https:" || url.protocol === "http:") return { ok: true };
  } catch {
    // fall through to the message below
  }
  return {
    ok: false,
    message: `apiServer "${apiServer}" is not an http(s) URL: use e.g. https://api.cluster.example.com:6443`,
  };
}

/**
 * The form of an API server URL two spellings of one server share: scheme and host lower-cased, the scheme's default
 * port dropped, no trailing slash, no query or fragment (client-node ignores them). undefined when it is not http(s).
 */
export function normalizeApiServerUrl(apiServer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(apiServer.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  // URL already lower-cases scheme and host and drops a default port; the path keeps its case (proxies route on it).
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/** Whether two API server URLs name the same server (see normalizeApiServerUrl); never true for a non-URL. */
export function isSameApiServer(a: string, b: string): boolean {
  const left = normalizeApiServerUrl(a);
  return left !== undefined && left === normalizeApiServerUrl(b);
}

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
  return { ok: false, message: `apiServer "${apiServer}" is not an http(s) URL: use e.g. https://api.cluster.example.com:6443` };
}

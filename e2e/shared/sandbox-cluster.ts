// The sandbox cluster's own Kubernetes API, for specs that must put the cluster in a state first (a field another
// manager owns, a ResourceQuota), the way a person with kubectl would. It uses the same server and token as the portal:
// the kubeconfig that scripts/start.ts has the sandbox write for the portal (PORTAL_KUBECONFIG) under .data/.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";

export const sandboxKubeconfigPath =
  process.env.E2E_SANDBOX_KUBECONFIG ?? path.resolve(__dirname, "..", "..", ".data", "sandbox-kubeconfig.yaml");

export interface SandboxObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

// Only the kinds the specs plant or read; an unknown kind fails loudly instead of guessing a URL.
const plurals: Record<string, string> = {
  Namespace: "namespaces",
  ResourceQuota: "resourcequotas",
  ScaledObject: "scaledobjects",
  Deployment: "deployments",
  Service: "services",
};

export function objectPath(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  const plural = plurals[ref.kind];
  if (!plural) throw new Error(`e2e/shared/sandbox-cluster.ts does not know the plural of ${ref.kind}: add it`);
  const group = ref.apiVersion === "v1" ? "/api/v1" : `/apis/${ref.apiVersion}`;
  return `${group}${ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : ""}/${plural}/${encodeURIComponent(ref.name)}`;
}

function readConnection(): { server: string; token: string } {
  const config = parse(readFileSync(sandboxKubeconfigPath, "utf8")) as {
    "current-context": string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
    clusters: { name: string; cluster: { server: string } }[];
    users: { name: string; user: { token?: string } }[];
  };
  const context = config.contexts.find((c) => c.name === config["current-context"])?.context;
  const server = config.clusters.find((c) => c.name === context?.cluster)?.cluster.server;
  const token = config.users.find((u) => u.name === context?.user)?.user.token;
  if (!server || !token) throw new Error(`${sandboxKubeconfigPath} names no server or token for its current context`);
  return { server, token };
}

export interface SandboxReply {
  status: number;
  body: Record<string, unknown>;
}

export function sandboxCluster() {
  const { server, token } = readConnection();
  const call = async (
    method: string,
    apiPath: string,
    init: { contentType?: string; body?: string } = {},
  ): Promise<SandboxReply> => {
    const response = await fetch(`${server}${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(init.contentType ? { "content-type": init.contentType } : {}),
      },
      body: init.body,
    });
    const text = await response.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { text };
    }
    return { status: response.status, body };
  };
  return {
    server,
    /** Server-side apply as `fieldManager` (kubectl apply --server-side --field-manager=...); throws unless 2xx. */
    async apply(object: SandboxObject, fieldManager: string): Promise<Record<string, unknown>> {
      const target = `${objectPath({ ...object, name: object.metadata.name, namespace: object.metadata.namespace })}?fieldManager=${encodeURIComponent(fieldManager)}`;
      // JSON is YAML, so the object goes as is.
      const reply = await call("PATCH", target, {
        contentType: "application/apply-patch+yaml",
        body: JSON.stringify(object),
      });
      if (reply.status >= 300)
        throw new Error(
          `applying ${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name} as ${fieldManager} failed: ${reply.status} ${JSON.stringify(reply.body)}`,
        );
      return reply.body;
    },
    /** GET one object: 404 when it does not exist. */
    get(ref: { apiVersion: string; kind: string; namespace?: string; name: string }): Promise<SandboxReply> {
      return call("GET", objectPath(ref));
    },
  };
}

/** The field managers of a live object that own the field at `fieldPath` (e.g. ["spec", "maxReplicaCount"]), from managedFields. */
export function managersOwning(object: Record<string, unknown>, fieldPath: string[]): string[] {
  const metadata = object.metadata as
    { managedFields?: { manager: string; fieldsV1?: Record<string, unknown> }[] } | undefined;
  return (metadata?.managedFields ?? [])
    .filter((entry) => {
      let node: unknown = entry.fieldsV1;
      for (const segment of fieldPath) {
        if (typeof node !== "object" || node === null) return false;
        node = (node as Record<string, unknown>)[`f:${segment}`];
      }
      return node !== undefined;
    })
    .map((entry) => entry.manager);
}

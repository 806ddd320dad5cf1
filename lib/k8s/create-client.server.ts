import "server-only";
// Builds the API clients for one registered cluster target. The kubeconfig location is configuration the CALLER
// reads (e.g. PORTAL_KUBECONFIG) and passes in; nothing here reads the environment. Every HTTP response's status is
// observable per call (withHttpStatus) because server-side apply tells "created" from "updated" only by 201 vs 200.
import { AsyncLocalStorage } from "node:async_hooks";
import { existsSync } from "node:fs";
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  createConfiguration,
  wrapHttpLibrary,
  type RequestContext,
} from "@kubernetes/client-node";
import { type ClusterTarget, isSameApiServer, parseCredentialRef, validateApiServerUrl } from "./cluster-target";

export interface KubernetesClient {
  readonly server: string;
  readonly contextName?: string;
  readonly objects: KubernetesObjectApi;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  /** Values that must never be shown (tokens, passwords); pass to describeApiError / redactCredentials. */
  readonly knownSecrets: readonly string[];
  /** Runs API calls and reports the HTTP status of the last response they received. */
  withHttpStatus<T>(call: () => Promise<T>): Promise<{ value: T; status?: number }>;
}

export interface KubernetesClientConfig {
  /** Path of the server's kubeconfig file (for "kubeconfig-context:" targets). */
  kubeconfigPath?: string;
  /** Kubeconfig content, for tests and for callers that already read the file. */
  kubeconfigYaml?: string;
  /** Root under which the pod's service account files live (tests); default "" (the real /var/run/secrets/...). */
  inClusterPathPrefix?: string;
  /** Per-request timeout; a timed-out request is retryable. Default 15 s. */
  requestTimeoutMs?: number;
}

export type CreateClientResult =
  | { ok: true; client: KubernetesClient }
  | {
      ok: false;
      reason:
        | "invalid_target"
        | "kubeconfig_unavailable"
        | "context_not_found"
        | "in_cluster_unavailable"
        | "server_mismatch";
      message: string;
    };

type LoadFailure = Extract<CreateClientResult, { ok: false }>;

function loadKubeConfig(
  credentialRef: string,
  config: KubernetesClientConfig,
): { ok: true; kc: KubeConfig; context?: string } | LoadFailure {
  const parsed = parseCredentialRef(credentialRef);
  if (!parsed.ok) return { ok: false, reason: "invalid_target", message: parsed.message };
  const kc = new KubeConfig();
  if (parsed.value.type === "in-cluster") {
    const prefix = config.inClusterPathPrefix ?? "";
    // loadFromCluster never fails by itself; without the token file every request would be anonymous.
    if (!existsSync(`${prefix}/var/run/secrets/kubernetes.io/serviceaccount/token`)) {
      return {
        ok: false,
        reason: "in_cluster_unavailable",
        message:
          "in-cluster credentials are not available (no service account token is mounted): run the portal in a pod with a service account, or use a kubeconfig context",
      };
    }
    kc.loadFromCluster(prefix);
    return { ok: true, kc };
  }
  const context = parsed.value.context;
  try {
    if (config.kubeconfigYaml !== undefined) kc.loadFromString(config.kubeconfigYaml);
    else if (config.kubeconfigPath) kc.loadFromFile(config.kubeconfigPath);
    else
      return {
        ok: false,
        reason: "kubeconfig_unavailable",
        message:
          "no kubeconfig is configured on the server: set PORTAL_KUBECONFIG to the kubeconfig file that holds the cluster contexts",
      };
  } catch {
    // The parse error may quote the file, which holds credentials: say where, not what.
    return {
      ok: false,
      reason: "kubeconfig_unavailable",
      message: `the server's kubeconfig${config.kubeconfigPath ? ` (${config.kubeconfigPath})` : ""} could not be read or parsed: check the file exists and is valid YAML`,
    };
  }
  // The other contexts' names are not listed: they describe clusters the person asking may have no business knowing.
  if (!kc.getContextObject(context)) {
    return {
      ok: false,
      reason: "context_not_found",
      message: `context "${context}" is not in the server's kubeconfig: fix the cluster's credentialRef or add the context to the kubeconfig`,
    };
  }
  kc.setCurrentContext(context);
  return { ok: true, kc, context };
}

function whoseCredentials(context: string | undefined): string {
  return context ? `kubeconfig context "${context}"` : "the pod's service account";
}

/**
 * The API server a credential reference's credentials belong to: the server its kubeconfig context (or the pod's
 * in-cluster configuration) names. The only server those credentials are ever sent to.
 */
export function credentialServer(
  credentialRef: string,
  config: KubernetesClientConfig = {},
): { ok: true; server: string; context?: string } | LoadFailure {
  const loaded = loadKubeConfig(credentialRef, config);
  if (!loaded.ok) return loaded;
  const server = loaded.kc.getCurrentCluster()?.server;
  if (!server)
    return {
      ok: false,
      reason: "kubeconfig_unavailable",
      message: `${whoseCredentials(loaded.context)} names no cluster with a server: fix the kubeconfig`,
    };
  const url = validateApiServerUrl(server);
  if (!url.ok)
    return {
      ok: false,
      reason: "kubeconfig_unavailable",
      message: `the server of ${whoseCredentials(loaded.context)} is not an http(s) URL: fix the kubeconfig`,
    };
  return { ok: true, server, context: loaded.context };
}

const statusStore = new AsyncLocalStorage<{ status?: number }>();

export function createKubernetesClient(target: ClusterTarget, config: KubernetesClientConfig = {}): CreateClientResult {
  const url = validateApiServerUrl(target.apiServer);
  if (!url.ok) return { ok: false, reason: "invalid_target", message: url.message };
  const loaded = loadKubeConfig(target.credentialRef, config);
  if (!loaded.ok) return loaded;
  const { kc, context } = loaded;
  // Credentials go only to the server their context names. A target whose apiServer says otherwise (a row stored
  // before registration enforced this, or a kubeconfig changed since) is refused, never redirected: sending the
  // context's token to the row's address would hand it to whoever listens there.
  const server = kc.getCurrentCluster()?.server;
  if (!server || !isSameApiServer(server, target.apiServer)) {
    return {
      ok: false,
      reason: "server_mismatch",
      message: `the registered apiServer ${target.apiServer} is not the server of ${whoseCredentials(context)}, and credentials are only sent to their own server: register the cluster again without apiServer (it is taken from the context), or fix the kubeconfig`,
    };
  }
  const user = kc.getCurrentUser();
  const knownSecrets = [user?.token, user?.password, user?.keyData, user?.certData].filter((s): s is string => !!s);
  const timeoutMs = config.requestTimeoutMs ?? 15_000;
  const fetchLibrary = new IsomorphicFetchHttpLibrary();
  const httpApi = wrapHttpLibrary({
    async send(request: RequestContext) {
      if (!request.getSignal()) request.setSignal(AbortSignal.timeout(timeoutMs));
      const response = await fetchLibrary.send(request).toPromise();
      const store = statusStore.getStore();
      if (store) store.status = response.httpStatusCode;
      return response;
    },
  });
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server.replace(/\/+$/, ""), {}),
    authMethods: { default: kc },
    httpApi,
  });
  const objects = new KubernetesObjectApi(configuration);
  const client: KubernetesClient = {
    server,
    contextName: context,
    objects,
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    batch: new BatchV1Api(configuration),
    knownSecrets,
    async withHttpStatus(call) {
      const store: { status?: number } = {};
      const value = await statusStore.run(store, call);
      return { value, status: store.status };
    },
  };
  return { ok: true, client };
}

/** Context names and API servers in the server's kubeconfig, for the admin's "register cluster" form (no credentials). */
export function listKubeconfigContexts(
  config: Pick<KubernetesClientConfig, "kubeconfigPath" | "kubeconfigYaml">,
):
  | { ok: true; contexts: Array<{ name: string; apiServer?: string; namespace?: string }> }
  | { ok: false; message: string } {
  const kc = new KubeConfig();
  try {
    if (config.kubeconfigYaml !== undefined) kc.loadFromString(config.kubeconfigYaml);
    else if (config.kubeconfigPath) kc.loadFromFile(config.kubeconfigPath);
    else return { ok: false, message: "no kubeconfig is configured on the server: set PORTAL_KUBECONFIG" };
  } catch {
    return {
      ok: false,
      message: "the server's kubeconfig could not be read or parsed: check the file exists and is valid YAML",
    };
  }
  return {
    ok: true,
    contexts: kc.getContexts().map((c) => ({
      name: c.name,
      apiServer: kc.getCluster(c.cluster)?.server,
      ...(c.namespace ? { namespace: c.namespace } : {}),
    })),
  };
}

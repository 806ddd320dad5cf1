import "server-only";
import fs from "node:fs";
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { describeApiError, summarizeFailure, type KubernetesApiFailure } from "@/lib/k8s/api-errors";
import { parseCredentialRef } from "@/lib/k8s/cluster-target";

// The narrow slice of the Kubernetes API a drill needs. lib/k8s has no client factory or Velero/rollout helpers
// yet, so this is a small adapter over @kubernetes/client-node's generic object API; the runner only sees the
// interface, which keeps it testable and lets us swap in lib/k8s functions once they exist.

export type KubeObject = KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

export interface DrKubernetes {
  list(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<KubeObject[]>;
  /** null when the object does not exist. */
  read(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | null>;
  /** Creates the object; an existing object of the same name (a resumed step) is returned instead. */
  createOrGet(object: KubeObject): Promise<KubeObject>;
  /** Replaces with optimistic concurrency (metadata.resourceVersion); a 409 comes back as KubernetesCallError. */
  replace(object: KubeObject): Promise<KubeObject>;
}

export class KubernetesCallError extends Error {
  constructor(readonly failure: KubernetesApiFailure) {
    super(summarizeFailure(failure));
    this.name = "KubernetesCallError";
  }
}

const callTimeoutMs = 20_000;

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer from the Kubernetes API within ${callTimeoutMs / 1000} s`), { name: "TimeoutError" })), callTimeoutMs);
      }),
    ]);
  } catch (error) {
    if (error instanceof KubernetesCallError) throw error;
    const failure = describeApiError(error);
    throw new KubernetesCallError({ ...failure, message: `${what}: ${failure.message}` });
  } finally {
    clearTimeout(timer);
  }
}

export function drKubernetesFromKubeConfig(kc: KubeConfig): DrKubernetes {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const header = (apiVersion: string, kind: string, namespace: string | undefined, name: string) => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
  return {
    list: (apiVersion, kind, namespace, labelSelector) =>
      call(`list ${kind} in ${namespace}`, async () => (await api.list<KubeObject>(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, labelSelector)).items),
    read: (apiVersion, kind, namespace, name) =>
      call(`read ${kind} ${namespace ?? ""}/${name}`, async () => {
        try {
          return await api.read<KubeObject>(header(apiVersion, kind, namespace, name));
        } catch (error) {
          if (describeApiError(error).code === 404) return null;
          throw error;
        }
      }),
    createOrGet: (object) =>
      call(`create ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`, async () => {
        try {
          return await api.create<KubeObject>(object, undefined, undefined, "portal-dr-drill");
        } catch (error) {
          if (describeApiError(error).code !== 409) throw error;
          return api.read<KubeObject>(header(object.apiVersion!, object.kind!, object.metadata?.namespace, object.metadata!.name!));
        }
      }),
    replace: (object) => call(`replace ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`, () => api.replace<KubeObject>(object, undefined, undefined, "portal-dr-drill")),
  };
}

/** The cluster target's client: a context of the kubeconfig named by PORTAL_KUBECONFIG, or the pod's service account. */
export function kubeConfigForTarget(target: { name: string; credentialRef: string }): KubeConfig {
  const parsed = parseCredentialRef(target.credentialRef);
  if (!parsed.ok) throw new Error(`cluster target ${target.name}: ${parsed.message}`);
  const kc = new KubeConfig();
  if (parsed.value.type === "in-cluster") {
    kc.loadFromCluster();
    return kc;
  }
  const file = process.env.PORTAL_KUBECONFIG;
  if (!file || !fs.existsSync(file)) throw new Error(`cluster target ${target.name} uses a kubeconfig context but PORTAL_KUBECONFIG (${file ?? "unset"}) names no file: set it to the kubeconfig path`);
  kc.loadFromFile(file);
  if (!kc.getContextObject(parsed.value.context)) throw new Error(`cluster target ${target.name}: context ${parsed.value.context} is not in ${file}: add it or fix credentialRef`);
  kc.setCurrentContext(parsed.value.context);
  return kc;
}

export async function connectDrKubernetes(target: { name: string; credentialRef: string }): Promise<DrKubernetes> {
  return drKubernetesFromKubeConfig(kubeConfigForTarget(target));
}

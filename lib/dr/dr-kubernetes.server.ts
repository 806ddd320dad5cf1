import "server-only";
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { describeApiError, summarizeFailure, type KubernetesApiFailure } from "@/lib/k8s/api-errors";
import { clientForCluster } from "@/lib/clusters/cluster-client.server";

// The narrow slice of the Kubernetes API a drill needs, over lib/k8s's client (createKubernetesClient) and its
// error descriptions. lib/k8s's rollback/Velero helpers wait in their own loops; a drill must renew its lease,
// see an abort and store progress between polls, so the runner polls through this interface instead.

export type KubeObject = KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

export interface DrKubernetes {
  list(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<KubeObject[]>;
  /** null when the object does not exist. */
  read(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<KubeObject | null>;
  /** Creates the object; an existing object of the same name (a resumed step) is returned instead. */
  createOrGet(object: KubeObject): Promise<KubeObject>;
  /** Replaces with optimistic concurrency (metadata.resourceVersion); a 409 comes back as KubernetesCallError. */
  replace(object: KubeObject): Promise<KubeObject>;
  /**
   * A strategic merge patch of only the fields given (apiVersion, kind and metadata name/namespace identify the
   * object): no resourceVersion, so no 409 from an unrelated change, and fields the drill does not name are left alone.
   */
  patch(object: KubeObject): Promise<KubeObject>;
  /** Deletes (foreground for namespaces as kubectl does); false when it was already gone. */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<boolean>;
}

export class KubernetesCallError extends Error {
  constructor(readonly failure: KubernetesApiFailure) {
    super(summarizeFailure(failure));
    this.name = "KubernetesCallError";
  }
}

const callTimeoutMs = 20_000;

async function callApi<T>(what: string, fn: () => Promise<T>, knownSecrets: readonly string[]): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              Object.assign(new Error(`${what}: no answer from the Kubernetes API within ${callTimeoutMs / 1000} s`), {
                name: "TimeoutError",
              }),
            ),
          callTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    if (error instanceof KubernetesCallError) throw error;
    const failure = describeApiError(error, knownSecrets);
    throw new KubernetesCallError({ ...failure, message: `${what}: ${failure.message}` });
  } finally {
    clearTimeout(timer);
  }
}

/** The field manager a drill's writes are recorded under, so `kubectl get --show-managed-fields` tells them apart. */
export const drillFieldManager = "portal-dr-drill";

export function drKubernetesFromObjectApi(
  api: KubernetesObjectApi,
  knownSecrets: readonly string[],
  fieldManager = drillFieldManager,
): DrKubernetes {
  const call = <T>(what: string, fn: () => Promise<T>) => callApi(what, fn, knownSecrets);
  const header = (apiVersion: string, kind: string, namespace: string | undefined, name: string) => ({
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
  });
  return {
    list: (apiVersion, kind, namespace, labelSelector) =>
      call(
        `list ${kind} in ${namespace}`,
        async () =>
          (
            await api.list<KubeObject>(
              apiVersion,
              kind,
              namespace,
              undefined,
              undefined,
              undefined,
              undefined,
              labelSelector,
            )
          ).items,
      ),
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
          return await api.create<KubeObject>(object, undefined, undefined, fieldManager);
        } catch (error) {
          if (describeApiError(error).code !== 409) throw error;
          return api.read<KubeObject>(
            header(object.apiVersion!, object.kind!, object.metadata?.namespace, object.metadata!.name!),
          );
        }
      }),
    patch: (object) =>
      call(`patch ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`, () =>
        api.patch<KubeObject>(object, undefined, undefined, fieldManager, undefined, PatchStrategy.StrategicMergePatch),
      ),
    remove: (apiVersion, kind, namespace, name) =>
      call(`delete ${kind} ${namespace ?? ""}/${name}`, async () => {
        try {
          await api.delete(header(apiVersion, kind, namespace, name));
          return true;
        } catch (error) {
          if (describeApiError(error).code === 404) return false;
          throw error;
        }
      }),
    replace: (object) =>
      call(`replace ${object.kind} ${object.metadata?.namespace ?? ""}/${object.metadata?.name}`, () =>
        api.replace<KubeObject>(object, undefined, undefined, fieldManager),
      ),
  };
}

/** The cluster target's client: a context of the kubeconfig named by PORTAL_KUBECONFIG, or the pod's service account. */
export async function connectDrKubernetes(target: {
  name: string;
  credentialRef: string;
  apiServer: string;
}): Promise<DrKubernetes> {
  const created = clientForCluster(target);
  if (!created.ok) throw new Error(created.message);
  return drKubernetesFromObjectApi(created.client.objects, created.client.knownSecrets);
}

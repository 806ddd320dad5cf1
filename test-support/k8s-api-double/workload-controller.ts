// Simulated workload controllers: a Deployment keeps one ReplicaSet per template (revision annotation as the real
// deployment controller writes it), becomes Ready some time after its last spec change, and owns Ready Pods.
// A template whose image cannot be pulled (a registry.invalid/ reference, or one the double is told is missing)
// never becomes Ready, as on a real cluster: the new ReplicaSet's pods stay NotReady waiting in ImagePullBackOff,
// a RollingUpdate keeps the old pods its maxUnavailable protects (Recreate keeps none), and Progressing turns False
// with ProgressDeadlineExceeded after progressDeadlineSeconds (600 by default).
// StatefulSets, DaemonSets and Jobs simply become ready/complete after the same delay.
import { createHash } from "node:crypto";
import type { ClusterState } from "./cluster-state";
import { deepEqual } from "./field-paths";
import { executeProbeJob, isProbeJob } from "./probe-executor";
import type { K8sObject } from "./managed-fields";
import type { VolumeData } from "./velero-controller";

export const revisionAnnotation = "deployment.kubernetes.io/revision";
type Obj = Record<string, unknown>;

export interface WorkloadTiming {
  /** How long after a spec change a workload reports Ready. */
  readyAfterMs: number;
}

const hashOf = (template: unknown) => createHash("sha256").update(JSON.stringify(template)).digest("hex").slice(0, 10);

function templateWithoutHash(template: unknown): unknown {
  const t = structuredClone(template) as { metadata?: { labels?: Record<string, string> } };
  delete t?.metadata?.labels?.["pod-template-hash"];
  return t;
}

/** RollingUpdate's maxSurge / maxUnavailable (an int or a percentage of the replicas; 25% when absent). */
function rollingBound(value: unknown, replicas: number, round: "up" | "down"): number {
  const text = value === undefined || value === null ? "25%" : String(value);
  const percent = /^(\d+)%$/.exec(text);
  if (!percent) return Number(text) || 0;
  const exact = (replicas * Number(percent[1])) / 100;
  return round === "up" ? Math.ceil(exact) : Math.floor(exact);
}

/** How many old pods a rollout that cannot progress keeps serving: what maxUnavailable protects, none for Recreate. */
function oldKeptAvailable(recreate: boolean, desired: number, maxUnavailable: number): number {
  return recreate ? 0 : Math.max(0, desired - maxUnavailable);
}

export class WorkloadController {
  /** Deployments (by uid) told never to become ready, to test rollout timeouts. */
  readonly stuck = new Set<string>();
  /** Images the double's registry does not have (besides every registry.invalid/ reference). */
  readonly missingImages = new Set<string>();
  private changedAt = new Map<string, { generation: number; at: number }>();

  constructor(
    private state: ClusterState,
    private timing: WorkloadTiming,
    private volumes: VolumeData,
  ) {}

  private readyAt(obj: K8sObject, now: number): boolean {
    const uid = String(obj.metadata.uid);
    const generation = Number(obj.metadata.generation);
    const seen = this.changedAt.get(uid);
    if (!seen || seen.generation !== generation) this.changedAt.set(uid, { generation, at: now });
    const since = this.changedAt.get(uid)!.at;
    const key = `${obj.metadata.namespace}/${obj.metadata.name}`;
    return !this.stuck.has(key) && now - since >= this.timing.readyAfterMs;
  }

  reconcile(now: number) {
    const defs = Object.fromEntries(this.state.resources().map((d) => [d.kind, d]));
    for (const deployment of this.state.list(defs.Deployment!)) this.reconcileDeployment(deployment, now);
    for (const kind of ["StatefulSet", "DaemonSet", "Job"]) {
      if (!defs[kind]) continue;
      for (const obj of this.state.list(defs[kind])) {
        if (kind === "Job" && isProbeJob(obj)) executeProbeJob(this.state, obj, this.volumes);
        else this.reconcileSimple(obj, now);
      }
    }
    this.reconcileGpuQuotaUsage();
  }

  /** The quota controller's part that matters here: status.used for GPUs, summed over the namespace's pods. */
  private reconcileGpuQuotaUsage() {
    const quotaDef = this.state.findByKind("v1", "ResourceQuota")!;
    const podDef = this.state.findByKind("v1", "Pod")!;
    for (const quota of this.state.list(quotaDef)) {
      const hard = ((quota.spec as Obj | undefined)?.hard as Record<string, string> | undefined) ?? {};
      const keys = Object.keys(hard).filter((k) => k.endsWith("nvidia.com/gpu"));
      if (keys.length === 0) continue;
      const used: Record<string, string> = {
        ...(((quota.status as Obj | undefined)?.used as Record<string, string> | undefined) ?? {}),
      };
      const pods = this.state
        .list(podDef, String(quota.metadata.namespace))
        .filter((p) => !["Succeeded", "Failed"].includes(String((p.status as Obj | undefined)?.phase)));
      for (const key of keys) {
        const field = key.startsWith("limits.") ? "limits" : "requests";
        const sum = pods.reduce((total, pod) => {
          const containers =
            ((pod.spec as Obj | undefined)?.containers as
              Array<{ resources?: Record<string, Record<string, string>> }> | undefined) ?? [];
          return (
            total +
            containers.reduce(
              (n, c) =>
                n + Number(c.resources?.[field]?.["nvidia.com/gpu"] ?? c.resources?.limits?.["nvidia.com/gpu"] ?? 0),
              0,
            )
          );
        }, 0);
        used[key] = String(sum);
      }
      this.state.putSystemObject({ ...quota, status: { hard, used } });
    }
  }

  private reconcileDeployment(deployment: K8sObject, now: number) {
    const ns = String(deployment.metadata.namespace);
    const name = String(deployment.metadata.name);
    const spec = deployment.spec as {
      replicas?: number;
      template: Obj;
      selector?: { matchLabels?: Record<string, string> };
    };
    const rsDef = this.state.findByKind("apps/v1", "ReplicaSet")!;
    const owned = this.state.list(rsDef, ns).filter((rs) => isOwnedBy(rs, deployment));
    const revisionOf = (rs: K8sObject) =>
      Number((rs.metadata.annotations as Obj | undefined)?.[revisionAnnotation] ?? 0);
    const maxRevision = Math.max(0, ...owned.map(revisionOf));
    let current = owned.find((rs) => deepEqual(templateWithoutHash((rs.spec as Obj).template), spec.template));
    const hash = hashOf(spec.template);
    if (!current || revisionOf(current) !== maxRevision) {
      const template = structuredClone(spec.template) as { metadata?: { labels?: Record<string, string> } };
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, "pod-template-hash": hash } };
      const rsName = current ? String(current.metadata.name) : `${name}-${hash}`;
      current = this.state.putSystemObject({
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: {
          ...(current?.metadata ?? {}),
          name: rsName,
          namespace: ns,
          labels: template.metadata.labels,
          annotations: {
            [revisionAnnotation]: String(
              current && revisionOf(current) === maxRevision ? maxRevision : maxRevision + 1,
            ),
          },
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "Deployment",
              name,
              uid: deployment.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: current ? (current.spec as Obj).replicas : 0,
          selector: { matchLabels: { ...spec.selector?.matchLabels, "pod-template-hash": hash } },
          template,
        },
        status: current?.status ?? { replicas: 0 },
      });
    }
    const revision = String(revisionOf(current));
    const annotations = (deployment.metadata.annotations as Record<string, string> | undefined) ?? {};
    if (annotations[revisionAnnotation] !== revision) {
      deployment = this.state.putSystemObject({
        ...deployment,
        metadata: { ...deployment.metadata, annotations: { ...annotations, [revisionAnnotation]: revision } },
      });
    }
    const missing = this.unpullableImage(spec.template);
    if (missing) {
      this.reconcileUnpullable(deployment, current, missing, now);
      return;
    }
    const desired = spec.replicas ?? 1;
    const ready = this.readyAt(deployment, now);
    const allRs = this.state.list(rsDef, ns).filter((rs) => isOwnedBy(rs, deployment));
    let oldReady = 0;
    for (const rs of allRs) {
      const isCurrent = rs.metadata.uid === current.metadata.uid;
      const replicas = isCurrent
        ? ready
          ? desired
          : Number((rs.spec as Obj).replicas ?? 0)
        : ready
          ? 0
          : Number((rs.spec as Obj).replicas ?? 0);
      if (!isCurrent) oldReady += replicas;
      const updated = this.state.putSystemObject({
        ...rs,
        spec: { ...(rs.spec as Obj), replicas },
        status: {
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          observedGeneration: rs.metadata.generation,
        },
      });
      this.syncPods(updated, replicas);
    }
    const available = ready ? desired : oldReady;
    this.state.putSystemObject({
      ...deployment,
      status: {
        observedGeneration: deployment.metadata.generation,
        replicas: available,
        updatedReplicas: ready ? desired : 0,
        readyReplicas: available,
        availableReplicas: available,
        ...(available < desired ? { unavailableReplicas: desired - available } : {}),
        conditions: [
          {
            type: "Available",
            status: available >= desired ? "True" : "False",
            reason: available >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
          },
          {
            type: "Progressing",
            status: "True",
            reason: ready ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
            message: `ReplicaSet "${current.metadata.name}" ${ready ? "has successfully progressed" : "is progressing"}.`,
          },
        ],
      },
    });
  }

  private unpullableImage(template: Obj): string | null {
    const containers = ((template.spec as Obj | undefined)?.containers as Array<{ image?: string }> | undefined) ?? [];
    const image = containers
      .map((c) => String(c.image ?? ""))
      .find((i) => i.startsWith("registry.invalid/") || this.missingImages.has(i));
    return image ?? null;
  }

  /** A rollout to an image that cannot be pulled: it progresses no further than its strategy lets it start. */
  private reconcileUnpullable(deployment: K8sObject, current: K8sObject, image: string, now: number) {
    const spec = deployment.spec as { replicas?: number; progressDeadlineSeconds?: number; strategy?: Obj };
    const desired = spec.replicas ?? 1;
    const strategy = spec.strategy ?? {};
    const rolling = (strategy.rollingUpdate as Obj | undefined) ?? {};
    const recreate = strategy.type === "Recreate";
    const maxUnavailable = rollingBound(rolling.maxUnavailable, desired, "down");
    const maxSurge = rollingBound(rolling.maxSurge, desired, "up");
    this.readyAt(deployment, now);
    const since = this.changedAt.get(String(deployment.metadata.uid))?.at ?? now;
    const rsDef = this.state.findByKind("apps/v1", "ReplicaSet")!;
    const old = this.state
      .list(rsDef, String(deployment.metadata.namespace))
      .filter((rs) => isOwnedBy(rs, deployment) && rs.metadata.uid !== current.metadata.uid);
    const available = oldKeptAvailable(recreate, desired, maxUnavailable);
    let oldLeft = available;
    let oldKept = 0;
    for (const rs of old) {
      // Pods of an earlier broken revision are not available: they go first.
      const broken = this.unpullableImage((rs.spec as Obj).template as Obj) !== null;
      const replicas = broken ? 0 : Math.min(Number((rs.spec as Obj).replicas ?? 0), oldLeft);
      oldLeft -= replicas;
      oldKept += replicas;
      const updated = this.state.putSystemObject({
        ...rs,
        spec: { ...(rs.spec as Obj), replicas },
        status: {
          replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          observedGeneration: rs.metadata.generation,
        },
      });
      this.syncPods(updated, replicas);
    }
    const started = recreate ? desired : Math.max(0, Math.min(desired, desired + maxSurge - oldKept));
    const updated = this.state.putSystemObject({
      ...current,
      spec: { ...(current.spec as Obj), replicas: started },
      status: {
        replicas: started,
        readyReplicas: 0,
        availableReplicas: 0,
        observedGeneration: current.metadata.generation,
      },
    });
    this.syncPods(updated, started, image);
    const deadlineMs = (spec.progressDeadlineSeconds ?? 600) * 1000;
    const exceeded = now - since >= deadlineMs;
    this.state.putSystemObject({
      ...deployment,
      status: {
        observedGeneration: deployment.metadata.generation,
        replicas: oldKept + started,
        updatedReplicas: started,
        readyReplicas: oldKept,
        availableReplicas: oldKept,
        ...(oldKept < desired ? { unavailableReplicas: desired - oldKept } : {}),
        conditions: [
          {
            type: "Available",
            status: oldKept > 0 && oldKept >= desired - maxUnavailable ? "True" : "False",
            reason:
              oldKept > 0 && oldKept >= desired - maxUnavailable
                ? "MinimumReplicasAvailable"
                : "MinimumReplicasUnavailable",
          },
          exceeded
            ? {
                type: "Progressing",
                status: "False",
                reason: "ProgressDeadlineExceeded",
                message: `ReplicaSet "${current.metadata.name}" has timed out progressing.`,
              }
            : {
                type: "Progressing",
                status: "True",
                reason: "ReplicaSetUpdated",
                message: `ReplicaSet "${current.metadata.name}" is progressing.`,
              },
        ],
      },
    });
  }

  private syncPods(rs: K8sObject, replicas: number, unpullable?: string) {
    const podDef = this.state.findByKind("v1", "Pod")!;
    const ns = String(rs.metadata.namespace);
    const pods = this.state.list(podDef, ns).filter((p) => isOwnedBy(p, rs));
    const template = (rs.spec as Obj).template as { metadata?: { labels?: Record<string, string> }; spec?: Obj };
    const wanted = new Set(
      Array.from(
        { length: replicas },
        (_, i) => `${rs.metadata.name}-${hashOf(`${rs.metadata.uid}/${i}`).slice(0, 5)}`,
      ),
    );
    for (const pod of pods)
      if (!wanted.has(String(pod.metadata.name))) this.state.delete(podDef, ns, String(pod.metadata.name));
    for (const podName of wanted) {
      if (pods.some((p) => p.metadata.name === podName)) continue;
      this.state.putSystemObject({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: podName,
          namespace: ns,
          labels: template.metadata?.labels ?? {},
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "ReplicaSet",
              name: rs.metadata.name,
              uid: rs.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: { ...template.spec, nodeName: "sandbox-gpu-node-1" },
        status: unpullable
          ? this.pullBackOffStatus(template.spec, unpullable)
          : {
              phase: "Running",
              conditions: [
                { type: "Ready", status: "True" },
                { type: "ContainersReady", status: "True" },
              ],
            },
      });
    }
  }

  /** What the kubelet reports for a pod whose image cannot be pulled. */
  private pullBackOffStatus(podSpec: Obj | undefined, image: string): Obj {
    const containers = (podSpec?.containers as Array<{ name: string; image?: string }> | undefined) ?? [];
    return {
      phase: "Pending",
      conditions: [
        { type: "PodScheduled", status: "True" },
        { type: "Ready", status: "False", reason: "ContainersNotReady" },
        { type: "ContainersReady", status: "False", reason: "ContainersNotReady" },
      ],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image,
        ready: false,
        restartCount: 0,
        state:
          c.image === image
            ? {
                waiting: {
                  reason: "ImagePullBackOff",
                  message: `Back-off pulling image "${image}"`,
                },
              }
            : { running: {} },
      })),
    };
  }

  private reconcileSimple(obj: K8sObject, now: number) {
    const ready = this.readyAt(obj, now);
    const spec = obj.spec as { replicas?: number; completions?: number };
    let status: Obj;
    if (obj.kind === "StatefulSet") {
      const n = ready ? (spec.replicas ?? 1) : 0;
      status = {
        observedGeneration: obj.metadata.generation,
        replicas: spec.replicas ?? 1,
        readyReplicas: n,
        availableReplicas: n,
        updatedReplicas: n,
        currentReplicas: n,
      };
    } else if (obj.kind === "DaemonSet") {
      const nodes = 2;
      status = {
        observedGeneration: obj.metadata.generation,
        desiredNumberScheduled: nodes,
        currentNumberScheduled: nodes,
        numberReady: ready ? nodes : 0,
        numberAvailable: ready ? nodes : 0,
        updatedNumberScheduled: nodes,
      };
    } else {
      status = ready
        ? { succeeded: spec.completions ?? 1, conditions: [{ type: "Complete", status: "True" }] }
        : { active: 1 };
    }
    this.state.putSystemObject({ ...obj, status });
  }
}

function isOwnedBy(child: K8sObject, owner: K8sObject): boolean {
  const refs = child.metadata.ownerReferences as Array<{ uid?: string }> | undefined;
  return Array.isArray(refs) && refs.some((r) => r.uid === owner.metadata.uid);
}

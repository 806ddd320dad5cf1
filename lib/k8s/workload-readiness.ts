// Whether a workload is ready, judged from its status the way `kubectl rollout status` judges it.
type Status = Record<string, unknown>;
interface WorkloadLike {
  kind: string;
  metadata?: { generation?: number };
  spec?: { replicas?: number; completions?: number };
  status?: Status;
}

export interface WorkloadReadiness {
  ready: boolean;
  /** "2/2 replicas available", "waiting: 1 of 3 updated replicas available" */
  detail: string;
}

const num = (v: unknown) => (typeof v === "number" ? v : 0);

export function workloadReadiness(obj: WorkloadLike): WorkloadReadiness {
  const status = obj.status ?? {};
  const generation = obj.metadata?.generation ?? 0;
  const observed = num(status.observedGeneration);
  switch (obj.kind) {
    case "Deployment": {
      const desired = obj.spec?.replicas ?? 1;
      if (observed < generation)
        return { ready: false, detail: "waiting for the deployment controller to observe the new spec" };
      const updated = num(status.updatedReplicas);
      const available = num(status.availableReplicas);
      const total = num(status.replicas);
      if (updated < desired) return { ready: false, detail: `waiting: ${updated} of ${desired} replicas updated` };
      if (total > updated)
        return { ready: false, detail: `waiting: ${total - updated} old replicas pending termination` };
      if (available < updated)
        return { ready: false, detail: `waiting: ${available} of ${updated} updated replicas available` };
      return { ready: true, detail: `${available}/${desired} replicas available` };
    }
    case "StatefulSet": {
      const desired = obj.spec?.replicas ?? 1;
      const ready = num(status.readyReplicas);
      return ready >= desired && observed >= generation
        ? { ready: true, detail: `${ready}/${desired} replicas ready` }
        : { ready: false, detail: `waiting: ${ready} of ${desired} replicas ready` };
    }
    case "DaemonSet": {
      const desired = num(status.desiredNumberScheduled);
      const ready = num(status.numberReady);
      const updated = num(status.updatedNumberScheduled);
      return observed >= generation && ready >= desired && updated >= desired
        ? { ready: true, detail: `${ready}/${desired} pods ready` }
        : { ready: false, detail: `waiting: ${ready} of ${desired} pods ready` };
    }
    case "Job": {
      const conditions =
        (status.conditions as Array<{ type: string; status: string; message?: string }> | undefined) ?? [];
      const failed = conditions.find((c) => c.type === "Failed" && c.status === "True");
      if (failed) return { ready: false, detail: `job failed${failed.message ? `: ${failed.message}` : ""}` };
      if (conditions.some((c) => c.type === "Complete" && c.status === "True"))
        return { ready: true, detail: "completed" };
      // A training job is "ready" once its pods run; completion can take days.
      if (num(status.active) > 0) return { ready: true, detail: `running (${num(status.active)} active pods)` };
      return { ready: false, detail: "waiting for job pods to start" };
    }
    default:
      return { ready: true, detail: "no readiness to check" };
  }
}

export const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);

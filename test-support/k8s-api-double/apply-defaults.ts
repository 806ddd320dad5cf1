// Defaults the API server fills in, so clients see live objects with fields they never set (as on a real cluster).
import { isPlainObject } from "./field-paths";

type Obj = Record<string, unknown>;
const child = (parent: Obj, key: string): Obj =>
  isPlainObject(parent[key]) ? (parent[key] as Obj) : ((parent[key] = {}) as Obj);
const setDefault = (target: Obj, key: string, value: unknown) => {
  if (target[key] === undefined) target[key] = value;
};

function defaultPodSpec(template: Obj) {
  const spec = child(template, "spec");
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "schedulerName", "default-scheduler");
}

export function applyDefaults(obj: Obj, allocateClusterIp: () => string): void {
  const spec = isPlainObject(obj.spec) ? (obj.spec as Obj) : undefined;
  const meta = child(obj, "metadata");
  switch (obj.kind) {
    case "Namespace":
      child(meta, "labels")["kubernetes.io/metadata.name"] = String(meta.name);
      setDefault(child(obj, "spec"), "finalizers", ["kubernetes"]);
      obj.status = { phase: "Active" };
      break;
    case "Deployment":
      if (!spec) break;
      setDefault(spec, "replicas", 1);
      setDefault(spec, "revisionHistoryLimit", 10);
      setDefault(spec, "progressDeadlineSeconds", 600);
      setDefault(spec, "strategy", {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
      });
      if (isPlainObject(spec.template)) defaultPodSpec(spec.template as Obj);
      break;
    case "StatefulSet":
    case "ReplicaSet":
      if (!spec) break;
      setDefault(spec, "replicas", 1);
      if (isPlainObject(spec.template)) defaultPodSpec(spec.template as Obj);
      break;
    case "Job":
      if (!spec) break;
      setDefault(spec, "backoffLimit", 6);
      setDefault(spec, "completions", 1);
      setDefault(spec, "parallelism", 1);
      break;
    case "Service":
      if (!spec) break;
      setDefault(spec, "type", "ClusterIP");
      setDefault(spec, "sessionAffinity", "None");
      if (spec.clusterIP === undefined) spec.clusterIP = allocateClusterIp();
      break;
  }
}

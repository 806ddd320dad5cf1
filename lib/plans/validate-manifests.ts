// Validation before anything leaves the engine: built-in kinds through kubernetes-models, KEDA / Karpenter /
// External Secrets through their model packages, Velero through velero-schema.ts, and the semantic rules those
// schemas do not express (CEL rules, cross-field limits).
// The model packages publish ESM only ("import" condition), so they are loaded with import(): this keeps the
// engine loadable from CommonJS callers (the tsx-run CLI) and makes validation asynchronous.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { ZodType } from "zod";
import { semanticErrors } from "./semantic-rules";
import { podMonitorSchema } from "./prometheus-operator-schema";
import { veleroBackupStorageLocationSchema, veleroScheduleSchema } from "./velero-schema";

export interface ManifestError {
  /** kind/namespace/name of the object, as kubectl names it. */
  object: string;
  path: string;
  message: string;
}

export interface ManifestValidation {
  valid: boolean;
  checked: number;
  errors: ManifestError[];
}

export class PlanValidationError extends Error {
  constructor(readonly errors: ManifestError[]) {
    super(
      `generated manifests failed validation (${errors.length} error${errors.length === 1 ? "" : "s"}): ${errors
        .slice(0, 5)
        .map((e) => `${e.object} ${e.path}: ${e.message}`)
        .join("; ")}`,
    );
    this.name = "PlanValidationError";
  }
}

type ModelClass = new (data: object) => { validate(): void };
type Validator = { model: ModelClass } | { zod: ZodType };

// One module per kind (not the group index, which loads hundreds of models): this keeps the first validation
// fast under tsx's loader.
const modelModules: Record<string, () => Promise<Record<string, unknown>>> = {
  "v1/Namespace": () => import("kubernetes-models/v1/Namespace"),
  "v1/ServiceAccount": () => import("kubernetes-models/v1/ServiceAccount"),
  "v1/Service": () => import("kubernetes-models/v1/Service"),
  "v1/ConfigMap": () => import("kubernetes-models/v1/ConfigMap"),
  "v1/PersistentVolumeClaim": () => import("kubernetes-models/v1/PersistentVolumeClaim"),
  "v1/ResourceQuota": () => import("kubernetes-models/v1/ResourceQuota"),
  "v1/LimitRange": () => import("kubernetes-models/v1/LimitRange"),
  "apps/v1/Deployment": () => import("kubernetes-models/apps/v1/Deployment"),
  "apps/v1/DaemonSet": () => import("kubernetes-models/apps/v1/DaemonSet"),
  "apps/v1/StatefulSet": () => import("kubernetes-models/apps/v1/StatefulSet"),
  "batch/v1/Job": () => import("kubernetes-models/batch/v1/Job"),
  "batch/v1/CronJob": () => import("kubernetes-models/batch/v1/CronJob"),
  "networking.k8s.io/v1/NetworkPolicy": () => import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy"),
  "rbac.authorization.k8s.io/v1/Role": () => import("kubernetes-models/rbac.authorization.k8s.io/v1/Role"),
  "rbac.authorization.k8s.io/v1/ClusterRole": () =>
    import("kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole"),
  "rbac.authorization.k8s.io/v1/RoleBinding": () =>
    import("kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding"),
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": () =>
    import("kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding"),
  "policy/v1/PodDisruptionBudget": () => import("kubernetes-models/policy/v1/PodDisruptionBudget"),
  "keda.sh/v1alpha1/ScaledObject": () => import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject"),
  "keda.sh/v1alpha1/ScaledJob": () => import("@kubernetes-models/keda/keda.sh/v1alpha1/ScaledJob"),
  "keda.sh/v1alpha1/TriggerAuthentication": () =>
    import("@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication"),
  "karpenter.sh/v1/NodePool": () => import("@kubernetes-models/karpenter/karpenter.sh/v1/NodePool"),
  "karpenter.k8s.aws/v1/EC2NodeClass": () => import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass"),
  "external-secrets.io/v1/ExternalSecret": () =>
    import("@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret"),
  "external-secrets.io/v1/ClusterSecretStore": () =>
    import("@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore"),
};

const zodSchemas: Record<string, ZodType> = {
  "velero.io/v1/Schedule": veleroScheduleSchema,
  "velero.io/v1/BackupStorageLocation": veleroBackupStorageLocationSchema,
  "monitoring.coreos.com/v1/PodMonitor": podMonitorSchema,
};

const loaded = new Map<string, Promise<Validator>>();

/** The validator of an apiVersion/kind, loading its model on first use; undefined when the engine has none. */
function validatorFor(key: string): Promise<Validator> | undefined {
  if (zodSchemas[key]) return Promise.resolve({ zod: zodSchemas[key] });
  const load = modelModules[key];
  if (!load) return undefined;
  let pending = loaded.get(key);
  if (!pending) {
    const kind = key.slice(key.lastIndexOf("/") + 1);
    pending = load().then((module) => ({ model: module[kind] as ModelClass }));
    loaded.set(key, pending);
  }
  return pending;
}

export function objectId(o: KubernetesObject): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join("/");
}

function schemaErrors(object: KubernetesObject, validator: Validator): ManifestError[] {
  const id = objectId(object);
  if ("zod" in validator) {
    const result = validator.zod.safeParse(object);
    return result.success
      ? []
      : result.error.issues.map((i) => ({ object: id, path: i.path.join("."), message: i.message }));
  }
  try {
    new validator.model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    if (Array.isArray(details) && details.length) {
      return details.map((d) => ({
        object: id,
        path: (d.instancePath ?? "").replace(/^\//, "").replace(/\//g, "."),
        message: d.message ?? "invalid",
      }));
    }
    return [{ object: id, path: "", message: error instanceof Error ? error.message : String(error) }];
  }
}

export async function validateManifests(objects: readonly KubernetesObject[]): Promise<ManifestValidation> {
  const keys = objects.map((o) => `${o.apiVersion}/${o.kind}`);
  const validators = await Promise.all(keys.map((k) => validatorFor(k)));
  const errors: ManifestError[] = [];
  for (const [index, object] of objects.entries()) {
    const validator = validators[index];
    if (!validator) {
      errors.push({
        object: objectId(object),
        path: "apiVersion",
        message: `${object.apiVersion} ${object.kind} has no schema in the engine: add one to validate-manifests.ts before generating it`,
      });
      continue;
    }
    errors.push(...schemaErrors(object, validator), ...semanticErrors(object));
  }
  return { valid: errors.length === 0, checked: objects.length, errors };
}

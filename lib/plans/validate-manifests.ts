// Validation before anything leaves the engine: built-in kinds through kubernetes-models, KEDA / Karpenter /
// External Secrets through their model packages, Velero through velero-schema.ts, and the semantic rules those
// schemas do not express (CEL rules, cross-field limits).
// The model packages publish ESM only ("import" condition), so they are loaded with import(): this keeps the
// engine loadable from CommonJS callers (the tsx-run CLI) and makes validation asynchronous.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { ZodType } from "zod";
import { semanticErrors } from "./semantic-rules";
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
    super(`generated manifests failed validation (${errors.length} error${errors.length === 1 ? "" : "s"}): ${errors.slice(0, 5).map((e) => `${e.object} ${e.path}: ${e.message}`).join("; ")}`);
    this.name = "PlanValidationError";
  }
}

type ModelClass = new (data: object) => { validate(): void };
type Validator = { model: ModelClass } | { zod: ZodType };

let registry: Promise<Map<string, Validator>> | undefined;

async function loadRegistry(): Promise<Map<string, Validator>> {
  const [core, apps, batch, networking, rbac, policy, keda, karpenter, karpenterAws, eso] = await Promise.all([
    import("kubernetes-models/v1"),
    import("kubernetes-models/apps/v1"),
    import("kubernetes-models/batch/v1"),
    import("kubernetes-models/networking.k8s.io/v1"),
    import("kubernetes-models/rbac.authorization.k8s.io/v1"),
    import("kubernetes-models/policy/v1"),
    import("@kubernetes-models/keda/keda.sh/v1alpha1"),
    import("@kubernetes-models/karpenter/karpenter.sh/v1"),
    import("@kubernetes-models/karpenter/karpenter.k8s.aws/v1"),
    import("@kubernetes-models/external-secrets/external-secrets.io/v1"),
  ]);
  const m = (model: unknown): Validator => ({ model: model as ModelClass });
  return new Map<string, Validator>([
    ["v1/Namespace", m(core.Namespace)],
    ["v1/ServiceAccount", m(core.ServiceAccount)],
    ["v1/Service", m(core.Service)],
    ["v1/ConfigMap", m(core.ConfigMap)],
    ["v1/PersistentVolumeClaim", m(core.PersistentVolumeClaim)],
    ["v1/ResourceQuota", m(core.ResourceQuota)],
    ["v1/LimitRange", m(core.LimitRange)],
    ["apps/v1/Deployment", m(apps.Deployment)],
    ["apps/v1/DaemonSet", m(apps.DaemonSet)],
    ["apps/v1/StatefulSet", m(apps.StatefulSet)],
    ["batch/v1/Job", m(batch.Job)],
    ["batch/v1/CronJob", m(batch.CronJob)],
    ["networking.k8s.io/v1/NetworkPolicy", m(networking.NetworkPolicy)],
    ["rbac.authorization.k8s.io/v1/Role", m(rbac.Role)],
    ["rbac.authorization.k8s.io/v1/ClusterRole", m(rbac.ClusterRole)],
    ["rbac.authorization.k8s.io/v1/RoleBinding", m(rbac.RoleBinding)],
    ["rbac.authorization.k8s.io/v1/ClusterRoleBinding", m(rbac.ClusterRoleBinding)],
    ["policy/v1/PodDisruptionBudget", m(policy.PodDisruptionBudget)],
    ["keda.sh/v1alpha1/ScaledObject", m(keda.ScaledObject)],
    ["keda.sh/v1alpha1/ScaledJob", m(keda.ScaledJob)],
    ["keda.sh/v1alpha1/TriggerAuthentication", m(keda.TriggerAuthentication)],
    ["karpenter.sh/v1/NodePool", m(karpenter.NodePool)],
    ["karpenter.k8s.aws/v1/EC2NodeClass", m(karpenterAws.EC2NodeClass)],
    ["external-secrets.io/v1/ExternalSecret", m(eso.ExternalSecret)],
    ["external-secrets.io/v1/ClusterSecretStore", m(eso.ClusterSecretStore)],
    ["velero.io/v1/Schedule", { zod: veleroScheduleSchema }],
    ["velero.io/v1/BackupStorageLocation", { zod: veleroBackupStorageLocationSchema }],
  ]);
}

export function objectId(o: KubernetesObject): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join("/");
}

function schemaErrors(object: KubernetesObject, validator: Validator): ManifestError[] {
  const id = objectId(object);
  if ("zod" in validator) {
    const result = validator.zod.safeParse(object);
    return result.success ? [] : result.error.issues.map((i) => ({ object: id, path: i.path.join("."), message: i.message }));
  }
  try {
    new validator.model(object).validate();
    return [];
  } catch (error) {
    const details = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
    if (Array.isArray(details) && details.length) {
      return details.map((d) => ({ object: id, path: (d.instancePath ?? "").replace(/^\//, "").replace(/\//g, "."), message: d.message ?? "invalid" }));
    }
    return [{ object: id, path: "", message: error instanceof Error ? error.message : String(error) }];
  }
}

export async function validateManifests(objects: readonly KubernetesObject[]): Promise<ManifestValidation> {
  registry ??= loadRegistry();
  const validators = await registry;
  const errors: ManifestError[] = [];
  for (const object of objects) {
    const validator = validators.get(`${object.apiVersion}/${object.kind}`);
    if (!validator) {
      errors.push({ object: objectId(object), path: "apiVersion", message: `${object.apiVersion} ${object.kind} has no schema in the engine: add one to validate-manifests.ts before generating it` });
      continue;
    }
    errors.push(...schemaErrors(object, validator), ...semanticErrors(object));
  }
  return { valid: errors.length === 0, checked: objects.length, errors };
}


// Velero BackupStorageLocation and Schedule per cloud; volume data through the file-system backup (node agent). No backup hooks: the reference's pre-hook ran a shell
// string inside the mlflow container, which fails silently and widens what a backup may execute.
import { azureStorageAccount } from "./schema";
import type { KubernetesObject } from "@/lib/k8s/types";
import { buildPlanContext, labelsFor, type PlanContext } from "./plan-context";
import { installsRedis } from "./build-redis";
import { hostPort } from "./build-queue-workers";

export const veleroNamespace = "velero";
/** The app.kubernetes.io/name of the BackupStorageLocation and Schedule, by which recovery re-applies them. */
export const veleroLabel = "velero";

/** The batch queue's namespace when the cluster plan this one protects runs its own Redis (its jobs live there). */
function redisNamespace(ctx: PlanContext): string[] {
  const setup = buildPlanContext({ ...ctx.input, infrastructure_task: "cluster_setup" });
  return installsRedis(setup) ? [hostPort(ctx.input.autoscaling.redis_address, 6379).namespace] : [];
}

export function storageLocationName(ctx: PlanContext): string {
  return `${ctx.input.cluster_name}-backups`;
}

export function locationSpec(ctx: PlanContext): Record<string, unknown> {
  const { input } = ctx;
  const dr = input.disaster_recovery;
  const objectStorage = { bucket: dr.backup_bucket, prefix: input.cluster_name };
  switch (input.cloud_provider) {
    case "aws":
      return { provider: "aws", objectStorage, config: { region: input.region } };
    case "gcp":
      return {
        provider: "velero.io/gcp",
        objectStorage,
        config: { serviceAccount: `velero@${input.identity.gcp_project_id}.iam.gserviceaccount.com` },
      };
    case "azure":
      return {
        provider: "velero.io/azure",
        objectStorage,
        config: {
          resourceGroup: `${input.cluster_name}-backups`,
          storageAccount: azureStorageAccount(dr.backup_bucket),
          useAAD: "true",
        },
      };
    case "on_premise":
      // An S3-compatible store (MinIO, Ceph RGW) through the AWS plugin.
      return {
        provider: "aws",
        objectStorage: dr.object_store_ca_cert ? { ...objectStorage, caCert: dr.object_store_ca_cert } : objectStorage,
        config: { region: "minio", s3ForcePathStyle: "true", s3Url: dr.object_store_url.replace(/\/$/, "") },
      };
  }
}

export function buildVelero(ctx: PlanContext): KubernetesObject[] {
  const { input } = ctx;
  const dr = input.disaster_recovery;
  const ns = input.namespaces;
  return [
    {
      apiVersion: "velero.io/v1",
      kind: "BackupStorageLocation",
      metadata: { name: storageLocationName(ctx), namespace: veleroNamespace, labels: labelsFor(ctx, veleroLabel) },
      spec: { ...locationSpec(ctx), default: true, accessMode: "ReadWrite" },
    },
    {
      apiVersion: "velero.io/v1",
      kind: "Schedule",
      metadata: {
        name: `${input.cluster_name}-ml-platform`,
        namespace: veleroNamespace,
        labels: labelsFor(ctx, veleroLabel),
      },
      spec: {
        schedule: dr.backup_schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [
            ...new Set([
              ns.training,
              ns.inference,
              ns.batch,
              ns.streaming,
              ns.model_registry,
              ns.feature_store,
              ...redisNamespace(ctx),
            ]),
          ],
          // Pods stay in: file-system backup reads each volume through a pod that mounts it.
          excludedResources: ["events", "events.events.k8s.io"],
          storageLocation: storageLocationName(ctx),
          // Checkpoints, datasets and models live on file shares (EFS, Filestore, Azure Files, NFS), which no
          // volume snapshot captures, so every cloud copies volume data with Velero's file-system backup (Kopia,
          // through the node agent) instead of snapshots.
          snapshotVolumes: false,
          defaultVolumesToFsBackup: true,
          ttl: `${dr.backup_retention_days * 24}h0m0s`,
          metadata: { labels: { "app.kubernetes.io/part-of": "ml-platform" } },
        },
      },
    },
  ];
}

// Velero ships no model package, so the fields the engine writes are checked here. The official CRDs under
// ../shared are reference data for tests only; this schema is written from the Velero v1 API docs and kept small.
import { z } from "zod";

const duration = z
  .string()
  .regex(/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, { message: "must be a Go duration like 720h0m0s" });
const nameList = z.array(z.string().min(1));
const metadata = z.object({ name: z.string().min(1), namespace: z.string().min(1) }).passthrough();

export const veleroBackupStorageLocationSchema = z.object({
  apiVersion: z.literal("velero.io/v1"),
  kind: z.literal("BackupStorageLocation"),
  metadata,
  spec: z
    .object({
      provider: z.string().min(1),
      objectStorage: z
        .object({ bucket: z.string().min(1), prefix: z.string().optional(), caCert: z.string().optional() })
        .strict(),
      config: z.record(z.string(), z.string()).optional(),
      default: z.boolean().optional(),
      accessMode: z.enum(["ReadOnly", "ReadWrite"]).optional(),
      backupSyncPeriod: duration.optional(),
      validationFrequency: duration.optional(),
      credential: z.object({ name: z.string(), key: z.string() }).optional(),
    })
    .strict(),
});

export const veleroScheduleSchema = z.object({
  apiVersion: z.literal("velero.io/v1"),
  kind: z.literal("Schedule"),
  metadata,
  spec: z
    .object({
      schedule: z.string().regex(/^(@every \S+|@\w+|(\S+\s+){4}\S+)$/, { message: "must be a cron expression" }),
      useOwnerReferencesInBackup: z.boolean().optional(),
      paused: z.boolean().optional(),
      template: z
        .object({
          includedNamespaces: nameList.optional(),
          excludedNamespaces: nameList.optional(),
          includedResources: nameList.optional(),
          excludedResources: nameList.optional(),
          storageLocation: z.string().min(1).optional(),
          volumeSnapshotLocations: nameList.optional(),
          snapshotVolumes: z.boolean().optional(),
          defaultVolumesToFsBackup: z.boolean().optional(),
          ttl: duration.optional(),
          metadata: z.object({ labels: z.record(z.string(), z.string()).optional() }).optional(),
        })
        .strict(),
    })
    .strict(),
});

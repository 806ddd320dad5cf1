// How Velero is installed (and reinstalled on a recreated cluster): Helm values for the vmware-tanzu/velero chart
// with the node agent, which file-system backup needs on every node that runs a pod with a volume. The node agent
// tolerates every taint (GPU, AKS/GKE spot, the pools' own) so it also runs on the GPU nodes where the checkpoints
// and models are mounted, and both the server and the node agent (which uploads the volume data) use the
// ServiceAccount bound to the backup identity: no static key in a Secret.
import { stringify } from "yaml";
import { storageLocationName } from "./build-velero";
import type { PlanContext } from "./plan-context";
import type { IdentityBinding } from "./terraform-identities";

export const veleroServiceAccount = "velero";
// Chart and images pinned together: chart 10.x ships Velero 1.16, whose CRDs (velero.io/v1 Backup, Schedule,
// BackupStorageLocation, Restore) are the ones the plan's objects are validated against. An unpinned chart
// installs whatever is newest on the day of recovery, possibly with CRDs the plan's objects no longer match.
export const veleroChartVersion = "10.1.0";
export const veleroImageTag = "v1.16.2";
export const veleroPlugins = {
  aws: "velero/velero-plugin-for-aws:v1.12.2",
  gcp: "velero/velero-plugin-for-gcp:v1.12.2",
  azure: "velero/velero-plugin-for-microsoft-azure:v1.12.2",
  on_premise: "velero/velero-plugin-for-aws:v1.12.2",
};

/** The cloud identity Velero's ServiceAccount is bound to (read-write on the backup bucket), if the cloud has one. */
export function veleroIdentity(ctx: PlanContext): IdentityBinding | undefined {
  const { input } = ctx;
  const identity = {
    aws: `arn:aws:iam::${input.identity.aws_account_id}:role/${input.cluster_name}-velero`,
    gcp: `velero@${input.identity.gcp_project_id}.iam.gserviceaccount.com`,
    azure: input.identity.azure_velero_client_id,
    on_premise: undefined,
  }[input.cloud_provider];
  return identity
    ? { namespace: "velero", serviceAccount: veleroServiceAccount, identity, access: "backups" }
    : undefined;
}

export function veleroHelmValues(ctx: PlanContext, location: Record<string, unknown>): Record<string, unknown> {
  const { input } = ctx;
  const identity = veleroIdentity(ctx);
  const annotationKey = {
    aws: "eks.amazonaws.com/role-arn",
    gcp: "iam.gke.io/gcp-service-account",
    azure: "azure.workload.identity/client-id",
    on_premise: "",
  }[input.cloud_provider];
  const azurePods = input.cloud_provider === "azure" ? { "azure.workload.identity/use": "true" } : {};
  return {
    image: { repository: "velero/velero", tag: veleroImageTag },
    initContainers: [
      {
        name: "velero-plugin",
        image: veleroPlugins[input.cloud_provider],
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    configuration: {
      backupStorageLocation: [{ name: storageLocationName(ctx), ...location, default: true }],
      volumeSnapshotLocation: [],
      defaultVolumesToFsBackup: true,
      uploaderType: "kopia",
    },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    nodeAgent: {
      // Every taint: file-system backup reads a volume only through the node agent on the node that mounts it.
      tolerations: [{ operator: "Exists" }],
      podLabels: azurePods,
    },
    podLabels: azurePods,
    // On premises the object store's keys come from a Secret (MinIO/Ceph have no workload identity).
    credentials:
      input.cloud_provider === "on_premise"
        ? { useSecret: true, existingSecret: "velero-object-store" }
        : { useSecret: false },
    serviceAccount: {
      server: {
        create: true,
        name: veleroServiceAccount,
        annotations: identity
          ? {
              [annotationKey]: identity.identity,
              ...(input.cloud_provider === "azure"
                ? { "azure.workload.identity/tenant-id": input.identity.azure_tenant_id }
                : {}),
            }
          : {},
      },
    },
  };
}

export function veleroValuesYaml(ctx: PlanContext, location: Record<string, unknown>): string {
  return stringify(veleroHelmValues(ctx, location));
}

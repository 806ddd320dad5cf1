// The files a disaster-recovery plan's recovery steps read, under the paths the steps name: the cluster plan's
// Terraform and manifests, this plan's manifests and Helm values, the identity Terraform that must be re-applied
// against a recreated cluster's issuer, and on EKS the file-system restore. Pure: the caller builds the parts
// (generate-plan.ts), so every path a step names is a file of the plan (recovery-plans.test.ts).
import { stringify } from "yaml";
import { sortForApply } from "@/lib/k8s/apply-order";
import type { KubernetesObject } from "@/lib/k8s/types";

/** Folders of the recovery files, as the recovery steps name them. */
export const recoveryFolders = {
  /** The cluster_setup plan's Terraform (a cloud) or kubeadm configuration (on premises). */
  cluster: "cluster",
  /** The cluster_setup plan's manifests, one file each. */
  clusterSetup: "cluster-setup",
  /** This plan's manifests, one file each. */
  disasterRecovery: "disaster-recovery",
  /** This plan's identity Terraform (Velero's), bound to the cluster's OIDC issuer. */
  backupIdentity: "backup-identity",
  /** The security_hardening plan's identity Terraform (External Secrets' and the workloads'). */
  secretsIdentity: "secrets-identity",
  /** The security_hardening plan's ClusterSecretStore. */
  secretStore: "secret-store",
  /** EKS: the AWS Backup plan of the shared file system. */
  fileBackups: "file-backups",
  /** EKS: the Terraform root that moves an AWS Backup restore into the claims' directories. */
  efsRestore: "efs-restore",
  /** AKS InfiniBand training: the Network Operator's NicClusterPolicy. */
  networkOperator: "network-operator",
} as const;

const fileSafe = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");

/** One YAML file per object under `folder`, numbered in apply order, named like a git delivery's files. */
export function manifestFiles(folder: string, objects: readonly KubernetesObject[]): Record<string, string> {
  const width = String(objects.length).length;
  return Object.fromEntries(
    sortForApply(objects).map((o, i) => {
      const ns = o.metadata.namespace ? `${fileSafe(o.metadata.namespace)}-` : "";
      const name = `${String(i + 1).padStart(width, "0")}-${fileSafe(o.kind)}-${ns}${fileSafe(o.metadata.name)}.yaml`;
      return [`${folder}/${name}`, stringify(o, { lineWidth: 0 })];
    }),
  );
}

/** `files` under `folder`: "main.tf" -> "cluster/main.tf". */
export function inFolder(folder: string, files: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(files ?? {}).map(([name, text]) => [`${folder}/${name}`, text]));
}

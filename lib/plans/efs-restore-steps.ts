// EKS: the shared file system's data comes back from AWS Backup (see efsRestoreTerraform in build-file-backups.ts),
// for a rebuilt cluster (every claim whose directory is gone) or a corrupted claim (its directory replaced).
import { efsMoverJob, efsRestoreNamespace } from "./build-file-backups";
import type { PlanContext } from "./plan-context";
import { terraformIn, type RecoveryStep } from "./recovery-commands";
import { recoveryFolders } from "./recovery-files";

/**
 * EKS: the shared file system (checkpoints, datasets, models) is backed up by AWS Backup, not only by Velero:
 * Velero's file-system backup never reads the claims only Jobs mount. AWS Backup restores EFS data only into its
 * source file system or a new one, and always under /aws-backup-restore_<time>/, never where the claims look.
 * So the latest recovery point goes into a new file system, the efs-restore Terraform mounts it beside the
 * cluster's shared one and copies each claim's directory into place, checking every file arrived, and is
 * destroyed with the restored file system once done. Claims whose directory survived (the file system outlived
 * the cluster) keep their newer data, except those in `replace` ("namespace/name"): a corrupted claim's directory
 * is moved aside and the backed-up one copied in its place.
 */
export function efsRestoreSteps(ctx: PlanContext, replace: readonly string[] = []): RecoveryStep[] {
  const { input } = ctx;
  const vault = `${input.cluster_name}-file-shares`;
  const restoredToken = `${input.cluster_name}-efs-restore`;
  const region = ["--region", input.region];
  const efsRestore = recoveryFolders.efsRestore;
  const vars = [
    "-var",
    "restored_file_system_id=$(RESTORED_FILE_SYSTEM_ID)",
    ...(replace.length > 0 ? ["-var", `replace_claims=${JSON.stringify(replace)}`] : []),
  ];
  return [
    {
      name: `Find the latest completed EFS recovery point in the backup vault ${vault}`,
      command: [
        "aws",
        "backup",
        "list-recovery-points-by-backup-vault",
        "--backup-vault-name",
        vault,
        "--by-resource-type",
        "EFS",
        ...region,
        "--query",
        "max_by(RecoveryPoints[?Status=='COMPLETED'], &CreationDate).RecoveryPointArn",
        "--output",
        "text",
      ],
      timeout_seconds: 60,
      output: "RECOVERY_POINT_ARN",
    },
    {
      name: "Restore that recovery point into a new file system (AWS Backup never restores EFS data in place)",
      command: [
        "aws",
        "backup",
        "start-restore-job",
        ...region,
        "--recovery-point-arn",
        "$(RECOVERY_POINT_ARN)",
        "--iam-role-arn",
        `arn:aws:iam::${input.identity.aws_account_id}:role/${input.cluster_name}-file-backups`,
        "--resource-type",
        "EFS",
        "--metadata",
        `newFileSystem=true,CreationToken=${restoredToken},Encrypted=true,PerformanceMode=generalPurpose`,
        "--query",
        "RestoreJobId",
        "--output",
        "text",
      ],
      timeout_seconds: 120,
      output: "RESTORE_JOB_ID",
    },
    {
      name: "Wait for the restore job to complete",
      command: [
        "aws",
        "backup",
        "describe-restore-job",
        ...region,
        "--restore-job-id",
        "$(RESTORE_JOB_ID)",
        "--query",
        "Status",
        "--output",
        "text",
      ],
      until_output: "COMPLETED",
      timeout_seconds: 14400,
    },
    {
      name: "Find the file system the restore created",
      command: [
        "aws",
        "efs",
        "describe-file-systems",
        ...region,
        "--creation-token",
        restoredToken,
        "--query",
        "FileSystems[0].FileSystemId",
        "--output",
        "text",
      ],
      timeout_seconds: 60,
      output: "RESTORED_FILE_SYSTEM_ID",
    },
    {
      name: `Initialize the EFS restore Terraform (${efsRestore}/)`,
      command: terraformIn(efsRestore, "init"),
      timeout_seconds: 300,
    },
    {
      name: "Mount both file systems and copy each claim's directory into place, checking every file arrived",
      command: terraformIn(efsRestore, "apply", "-auto-approve", ...vars),
      timeout_seconds: 7800,
      // The Job exits 0 only when every restored claim's files are all in place with their sizes.
      validation: [
        "kubectl",
        "wait",
        "--for=condition=complete",
        `job/${efsMoverJob}`,
        "-n",
        efsRestoreNamespace,
        "--timeout=60s",
      ],
    },
    {
      name: "Keep the mover's report of what it restored",
      command: ["kubectl", "logs", `job/${efsMoverJob}`, "-n", efsRestoreNamespace],
      timeout_seconds: 60,
    },
    {
      name: "Remove the mover, its whole-file-system mounts and the restored file system's mount targets",
      command: terraformIn(efsRestore, "destroy", "-auto-approve", ...vars),
      timeout_seconds: 1800,
    },
    {
      name: "Delete the restored file system, now copied into the shared one",
      command: ["aws", "efs", "delete-file-system", ...region, "--file-system-id", "$(RESTORED_FILE_SYSTEM_ID)"],
      timeout_seconds: 300,
    },
  ];
}

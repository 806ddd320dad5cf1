// Backups of the shared file systems that hold checkpoints and models. Velero's file-system backup reads a volume
// only through a running pod that mounts it: checkpoints written by training Jobs (and batch workers' models,
// mounted only while a Job runs) are never read. So on EKS the EFS file system is backed up natively (AWS
// Backup plan on the same schedule and retention as Velero), and where no native backup is generated a small
// reader Deployment keeps those claims mounted so the node agent can read them at every scheduled backup.
import type { KubernetesObject } from "@/lib/k8s/types";
import { batchWorkerName, modelsClaimName } from "./build-queue-workers";
import { formatHclFiles, hclString } from "./hcl";
import {
  labelsFor,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  sharedStorageClass,
  type PlanContext,
} from "./plan-context";
import { awsProviderVersion } from "./terraform-versions";

/** Claims only Jobs mount: no long-running pod exposes them to Velero's file-system backup. */
export function jobOnlyClaims(ctx: PlanContext): { namespace: string; claim: string }[] {
  const { input } = ctx;
  return [
    { namespace: input.namespaces.training, claim: `${input.training.job_name}-checkpoints` },
    { namespace: input.namespaces.batch, claim: modelsClaimName(batchWorkerName) },
  ];
}

/** StorageClasses whose volumes the plan backs up natively, outside Velero. */
export function nativeBackupClasses(ctx: PlanContext): string[] {
  return ctx.input.cloud_provider === "aws" ? [sharedStorageClass.aws] : [];
}

const weekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

// Velero (standard cron) numbers the week 0-6 from Sunday, with 7 also Sunday; AWS Backup numbers it 1-7 from Sunday,
// so the same digit means the next day there. Names mean the same day in both, so numbers become names.
function awsWeekdays(dow: string): string {
  return dow.replace(/\d+/g, (digits, offset: number, whole: string) => {
    // A step ("*/2", "1-5/2") counts days, not a day: keep it a number.
    if (whole[offset - 1] === "/") return digits;
    return weekdayNames[Number(digits) % 7] ?? digits;
  });
}

/** Velero's 5-field cron as AWS Backup's 6-field cron: one of day-of-month and day-of-week must be "?". */
export function awsBackupCron(cron: string): string {
  const [minute, hour, dom, month, dow] = cron.trim().split(/\s+/);
  const days = dow === "*" || dow === undefined ? [dom ?? "*", "?"] : ["?", awsWeekdays(dow)];
  return `cron(${minute ?? "0"} ${hour ?? "*"} ${days[0]} ${month ?? "*"} ${days[1]} *)`;
}

function awsFileBackups(ctx: PlanContext): string {
  const { input } = ctx;
  const dr = input.disaster_recovery;
  const name = `${input.cluster_name}-file-shares`;
  return `terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "${awsProviderVersion}" }
  }
}

provider "aws" {
  region = ${hclString(input.region)}
}

# The EFS file system the cluster's Terraform created for efs-sc (checkpoints, datasets, models).
data "aws_efs_file_system" "shared" {
  creation_token = ${hclString(`${input.cluster_name}-shared`)}
}

resource "aws_backup_vault" "file_shares" {
  name = ${hclString(name)}
}

# Same schedule and retention as the Velero Schedule, so a restore finds volume data beside the objects.
resource "aws_backup_plan" "file_shares" {
  name = ${hclString(name)}
  rule {
    rule_name         = "scheduled"
    target_vault_name = aws_backup_vault.file_shares.name
    schedule          = ${hclString(awsBackupCron(dr.backup_schedule))}
    lifecycle {
      delete_after = ${dr.backup_retention_days}
    }
  }
}

resource "aws_iam_role" "file_backups" {
  name = ${hclString(`${input.cluster_name}-file-backups`)}
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "backup.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "file_backups" {
  role       = aws_iam_role.file_backups.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
}

resource "aws_iam_role_policy_attachment" "file_restores" {
  role       = aws_iam_role.file_backups.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
}

resource "aws_backup_selection" "efs" {
  name         = ${hclString(`${input.cluster_name}-efs`)}
  plan_id      = aws_backup_plan.file_shares.id
  iam_role_arn = aws_iam_role.file_backups.arn
  resources    = [data.aws_efs_file_system.shared.arn]
}
`;
}

/** Terraform of the native file-system backups, where the plan generates them. */
export function fileBackupTerraform(ctx: PlanContext): Record<string, string> | undefined {
  return ctx.input.cloud_provider === "aws" ? formatHclFiles({ "file-backups.tf": awsFileBackups(ctx) }) : undefined;
}

export const backupReaderName = "backup-volume-reader";

/**
 * Where the plan backs up no file system natively: one reader per namespace with Job-only claims, mounting them
 * read-only and asking Velero to back them up through it. It does nothing but sleep.
 */
export function buildBackupReaders(ctx: PlanContext): KubernetesObject[] {
  if (nativeBackupClasses(ctx).includes(sharedStorageClass[ctx.input.cloud_provider])) return [];
  const byNamespace = new Map<string, string[]>();
  for (const c of jobOnlyClaims(ctx)) byNamespace.set(c.namespace, [...(byNamespace.get(c.namespace) ?? []), c.claim]);
  return [...byNamespace].map(([namespace, claims]) => {
    const volumes = claims.map((claim, i) => ({ name: `v${i}`, claim }));
    const labels = labelsFor(ctx, backupReaderName, { "app.kubernetes.io/component": "backup" });
    return {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: backupReaderName, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": backupReaderName } },
        template: {
          metadata: {
            labels,
            annotations: { "backup.velero.io/backup-volumes": volumes.map((v) => v.name).join(",") },
          },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext,
            // Any node will do (the claims are ReadWriteMany), whatever its pool's taints: it only sleeps.
            tolerations: [{ operator: "Exists" }],
            containers: [
              {
                name: "reader",
                image: "python:3.12-slim",
                command: ["sleep", "infinity"],
                resources: {
                  requests: { cpu: "10m", memory: "16Mi" },
                  limits: { cpu: "100m", memory: "64Mi" },
                },
                securityContext: restrictedContainerSecurityContext,
                volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: `/backup/${v.claim}`, readOnly: true })),
              },
            ],
            volumes: volumes.map((v) => ({
              name: v.name,
              persistentVolumeClaim: { claimName: v.claim, readOnly: true },
            })),
          },
        },
      },
    } satisfies KubernetesObject;
  });
}

// Backups of the shared file systems that hold checkpoints and models. Velero's file-system backup reads a volume
// only through a running pod that mounts it: checkpoints written by training Jobs (and batch workers' models,
// mounted only while a Job runs) are never read. So on EKS the EFS file system is backed up natively (AWS
// Backup plan on the same schedule and retention as Velero), and where no native backup is generated a small
// reader Deployment keeps those claims mounted so the node agent can read them at every scheduled backup.
import type { KubernetesObject } from "@/lib/k8s/types";
import { batchWorkerName, modelsClaimName } from "./build-queue-workers";
import { formatHclFiles, hclString, hclValue } from "./hcl";
import {
  labelsFor,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  sharedStorageClass,
  type PlanContext,
  utilityPlacement,
} from "./plan-context";
import { awsProviderVersion } from "./terraform-versions";

/**
 * Claims of the plan's workload that only Jobs mount: no long-running pod exposes them to Velero's file-system
 * backup. Only the workload the plan is for: the others' namespaces and claims may not exist on the cluster.
 */
export function jobOnlyClaims(ctx: PlanContext): { namespace: string; claim: string }[] {
  const { input } = ctx;
  switch (input.workload_type) {
    case "training":
      return [{ namespace: input.namespaces.training, claim: `${input.training.job_name}-checkpoints` }];
    case "batch":
      return [{ namespace: input.namespaces.batch, claim: modelsClaimName(batchWorkerName) }];
    default:
      return [];
  }
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
 * and asking Velero to back them up (and restore them) through it. It does nothing but sleep.
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
            // Any node mounts the claims (ReadWriteMany): a CPU node, rather than a GPU one it would keep awake.
            ...utilityPlacement(ctx),
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
                // Read-write: Velero's file-system restore writes the files back through the restored pod's
                // volumes (its restore-helper init container), which a read-only mount refuses.
                volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: `/backup/${v.claim}` })),
              },
            ],
            volumes: volumes.map((v) => ({
              name: v.name,
              persistentVolumeClaim: { claimName: v.claim },
            })),
          },
        },
      },
    } satisfies KubernetesObject;
  });
}

/** The namespace the EFS restore's mover runs in, apart from the workloads: it mounts whole file systems. */
export const efsRestoreNamespace = "efs-restore";
export const efsMoverJob = "efs-restore-mover";

/**
 * The shared file system's claims ("namespace/name"), which are also their directories on it: the efs-sc class
 * names each claim's directory by its namespace and name (subPathPattern), so a claim restored on a rebuilt
 * cluster finds the directory its predecessor wrote, and a restore knows where each claim's data goes.
 */
export function efsClaimDirectories(clusterPlanObjects: readonly KubernetesObject[]): string[] {
  return clusterPlanObjects
    .filter(
      (o) =>
        o.kind === "PersistentVolumeClaim" &&
        (o.spec as { storageClassName?: unknown } | undefined)?.storageClassName === sharedStorageClass.aws,
    )
    .map((o) => `${o.metadata.namespace ?? "default"}/${o.metadata.name}`);
}

/**
 * Run by the mover Job: copies each claim's directory out of what AWS Backup restored (a new file system holding
 * everything under /aws-backup-restore_<time>/) into the cluster's shared file system, keeping owners and modes.
 * A claim whose directory already holds files outlived the cluster and is newer than any backup: it is kept, unless
 * it is named with --replace=<namespace>/<name> (its data is corrupted): then the directory is moved aside, kept
 * for inspection beside it, and the backed-up one copied in its place. The Job fails unless every file of every
 * restored claim arrived with its size.
 */
export const efsMoverScript = `import os
import subprocess
import sys

restored_root, shared_root = sys.argv[1], sys.argv[2]
replace = {a.removeprefix("--replace=") for a in sys.argv[3:] if a.startswith("--replace=")}
claims = [a for a in sys.argv[3:] if not a.startswith("--replace=")]
unknown = sorted(replace - set(claims))
if unknown:
    sys.exit(f"--replace names claims this plan does not have: {', '.join(unknown)}")
restores = sorted(d for d in os.listdir(restored_root) if d.startswith("aws-backup-restore_"))
if not restores:
    sys.exit(f"no aws-backup-restore_* directory in {restored_root}: the restore job has not completed")
source = os.path.join(restored_root, restores[-1])


def files(path):
    found = {}
    for directory, _, names in os.walk(path):
        for name in names:
            full = os.path.join(directory, name)
            found[os.path.relpath(full, path)] = os.lstat(full).st_size
    return found


failed = False
for claim in claims:
    restored, target = os.path.join(source, claim), os.path.join(shared_root, claim)
    if not os.path.isdir(restored):
        print(f"{claim}: missing from {restores[-1]}", flush=True)
        failed = True
        continue
    if claim in replace and os.path.isdir(target):
        aside = f"{target}.replaced-{restores[-1].removeprefix('aws-backup-restore_')}"
        os.rename(target, aside)
        print(f"{claim}: replaced, its previous files are kept in {os.path.relpath(aside, shared_root)}", flush=True)
    elif os.path.isdir(target) and files(target):
        print(f"{claim}: kept, its directory outlived the cluster and is newer than the backup", flush=True)
        continue
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.isdir(target):
        subprocess.run(["cp", "-a", restored + "/.", target], check=True)
    else:
        subprocess.run(["cp", "-a", restored, target], check=True)
    want, have = files(restored), files(target)
    missing = sorted(p for p, size in want.items() if have.get(p) != size)
    print(f"{claim}: {len(want)} files, {sum(want.values())} bytes restored, {len(missing)} missing", flush=True)
    for path in missing[:20]:
        print(f"  missing: {path}", flush=True)
    failed = failed or bool(missing)
sys.exit(1 if failed else 0)
`;

/**
 * The Terraform root that moves an AWS Backup restore into place. AWS Backup never restores EFS data where it was
 * (it writes a new directory, aws-backup-restore_<time>, and restores into the source file system only, which a
 * lost cluster may have taken with it), so the recovery restores into a new file system and this root mounts both
 * roots in a namespace of its own, runs the mover to completion and is destroyed afterwards: nothing keeps a
 * whole-file-system mount once the data is in place. It reads the file system ids itself, so nothing is copied
 * by hand; the restored one comes in as a variable from the step that found it.
 */
export function efsRestoreTerraform(ctx: PlanContext, claims: readonly string[]): Record<string, string> {
  const { input } = ctx;
  const cluster = input.cluster_name;
  const volume = (
    name: string,
    fileSystemId: string,
  ) => `resource "kubernetes_persistent_volume_v1" ${hclString(name)} {
  metadata {
    name = ${hclString(`${cluster}-efs-restore-${name}`)}
  }
  spec {
    capacity = {
      storage = "1Ti"
    }
    access_modes                     = ["ReadWriteMany"]
    persistent_volume_reclaim_policy = "Retain"
    storage_class_name               = ${hclString(sharedStorageClass.aws)}
    claim_ref {
      namespace = ${hclString(efsRestoreNamespace)}
      name      = ${hclString(name)}
    }
    persistent_volume_source {
      csi {
        driver        = "efs.csi.aws.com"
        volume_handle = ${fileSystemId}
      }
    }
  }
}

resource "kubernetes_persistent_volume_claim_v1" ${hclString(name)} {
  metadata {
    name      = ${hclString(name)}
    namespace = kubernetes_namespace_v1.restore.metadata[0].name
  }
  spec {
    access_modes       = ["ReadWriteMany"]
    storage_class_name = ${hclString(sharedStorageClass.aws)}
    volume_name        = kubernetes_persistent_volume_v1.${name}.metadata[0].name
    resources {
      requests = {
        storage = "1Ti"
      }
    }
  }
}
`;
  const main = `terraform {
  required_version = ">= 1.6"
  required_providers {
    aws        = { source = "hashicorp/aws", version = "${awsProviderVersion}" }
    kubernetes = { source = "hashicorp/kubernetes", version = "~> 2.33" }
  }
}

provider "aws" {
  region = ${hclString(input.region)}
}

variable "replace_claims" {
  description = "Claims (namespace/name) whose directory is replaced by the backed-up one even though it holds files: a corrupted claim."
  type        = list(string)
  default     = []
}

variable "restored_file_system_id" {
  description = "The file system AWS Backup restored the recovery point into (the recovery step that waits for the restore job prints it)."
  type        = string
}

data "aws_eks_cluster" "cluster" {
  name = ${hclString(cluster)}
}

provider "kubernetes" {
  host                   = data.aws_eks_cluster.cluster.endpoint
  cluster_ca_certificate = base64decode(data.aws_eks_cluster.cluster.certificate_authority[0].data)
  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", data.aws_eks_cluster.cluster.name, "--region", ${hclString(input.region)}]
  }
}

# The shared file system the cluster's efs-sc class provisions on: where the claims' data goes.
data "aws_efs_file_system" "shared" {
  creation_token = ${hclString(`${cluster}-shared`)}
}

data "aws_vpc" "cluster" {
  id = data.aws_eks_cluster.cluster.vpc_config[0].vpc_id
}

# A restored file system has no mount targets: give it one in each of the cluster's subnets (one per zone).
resource "aws_security_group" "restored" {
  name_prefix = ${hclString(`${cluster}-efs-restore-`)}
  description = "NFS from the cluster's VPC to the file system AWS Backup restored"
  vpc_id      = data.aws_vpc.cluster.id

  ingress {
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.cluster.cidr_block]
  }
}

resource "aws_efs_mount_target" "restored" {
  for_each        = toset(data.aws_eks_cluster.cluster.vpc_config[0].subnet_ids)
  file_system_id  = var.restored_file_system_id
  subnet_id       = each.value
  security_groups = [aws_security_group.restored.id]
}

resource "kubernetes_namespace_v1" "restore" {
  metadata {
    name = ${hclString(efsRestoreNamespace)}
    labels = {
      "pod-security.kubernetes.io/enforce" = "baseline"
    }
  }
}

# Both file systems' roots, with no access point: the mover sees aws-backup-restore_<time>/ and every claim's
# directory. Each is bound to its claim only, and destroyed with this root.
${volume("restored", "var.restored_file_system_id")}
${volume("shared", "data.aws_efs_file_system.shared.id")}
resource "kubernetes_job_v1" "mover" {
  metadata {
    name      = ${hclString(efsMoverJob)}
    namespace = kubernetes_namespace_v1.restore.metadata[0].name
  }
  spec {
    backoff_limit = 0
    template {
      metadata {}
      spec {
        restart_policy = "Never"
        container {
          name    = "mover"
          image   = "python:3.12-slim"
          command = ["python3", "-c", file("\${path.module}/move_restored.py")]
          args    = concat(${hclValue(["/restored", "/shared"])}, [for claim in var.replace_claims : "--replace=\${claim}"], ${hclValue([...claims])})
          # Root, to create the claims' directories at the file system's root and keep the workloads' owners.
          security_context {
            run_as_user                = 0
            allow_privilege_escalation = false
            capabilities {
              drop = ["ALL"]
              add  = ["CHOWN", "DAC_OVERRIDE", "FOWNER"]
            }
          }
          volume_mount {
            name       = "restored"
            mount_path = "/restored"
            read_only  = true
          }
          volume_mount {
            name       = "shared"
            mount_path = "/shared"
          }
        }
        volume {
          name = "restored"
          persistent_volume_claim {
            claim_name = kubernetes_persistent_volume_claim_v1.restored.metadata[0].name
          }
        }
        volume {
          name = "shared"
          persistent_volume_claim {
            claim_name = kubernetes_persistent_volume_claim_v1.shared.metadata[0].name
          }
        }
      }
    }
  }
  wait_for_completion = true
  timeouts {
    create = "120m"
  }
  depends_on = [aws_efs_mount_target.restored]
}
`;
  return { ...formatHclFiles({ "main.tf": main }), "move_restored.py": efsMoverScript };
}

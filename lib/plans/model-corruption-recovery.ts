// The model_corruption recovery of each workload, naming the objects its plans really run: the model server's or
// the stream consumers' Deployment (whose pods mount the models claim), the batch workers' Job or ScaledJob and the
// training Job (whose claims only Jobs mount, backed up through the backup reader or, on EKS, AWS Backup).
import { backupReaderName } from "./build-file-backups";
import { batchWorkerName, modelsClaimName, streamConsumerName } from "./build-queue-workers";
import { trainingJobNames } from "./build-training-job";
import { efsRestoreSteps } from "./efs-restore-steps";
import type { PlanContext } from "./plan-context";
import { rolloutStatus, veleroRestoreStep, type RecoveryStep } from "./recovery-commands";

/**
 * What a claim's restore brings back: the claim (recreated, so Velero writes the backed-up files into it) and the
 * Deployment with its ReplicaSet and pods, through which the node agent restores the volume's files.
 */
export const claimRestoreResources = ["persistentvolumeclaims", "deployments.apps", "replicasets.apps", "pods"];

/** The claim that holds what a workload serves or resumes from, and what mounts it. */
export type ModelClaim =
  | { mountedBy: "deployment"; namespace: string; claim: string; deployment: string; what: string }
  | {
      mountedBy: "jobs";
      namespace: string;
      claim: string;
      /** The app.kubernetes.io/name of the claim and of the workers' Jobs (and ScaledJob). */
      name: string;
      /** The workers' pods' app.kubernetes.io/component: a restore must not bring them back without their Job. */
      podComponent: string;
      what: string;
    };

export function modelClaim(ctx: PlanContext): ModelClaim {
  const { input } = ctx;
  const ns = input.namespaces;
  switch (input.workload_type) {
    case "inference":
      return {
        mountedBy: "deployment",
        namespace: ns.inference,
        claim: modelsClaimName(input.model_server.name),
        deployment: input.model_server.name,
        what: "model server",
      };
    case "streaming":
      return {
        mountedBy: "deployment",
        namespace: ns.streaming,
        claim: modelsClaimName(streamConsumerName),
        deployment: streamConsumerName,
        what: "stream consumers",
      };
    case "batch":
      return {
        mountedBy: "jobs",
        namespace: ns.batch,
        claim: modelsClaimName(batchWorkerName),
        name: batchWorkerName,
        podComponent: "batch-worker",
        what: "batch workers",
      };
    case "training": {
      const names = trainingJobNames(ctx);
      return {
        mountedBy: "jobs",
        namespace: ns.training,
        claim: names.checkpointClaim,
        name: names.job,
        podComponent: "trainer",
        what: "training Job",
      };
    }
  }
}

// Foreground: the call returns once the ReplicaSets, Jobs and pods are gone too, none left for Velero to skip.
const deleteNow = ["--ignore-not-found", "--cascade=foreground", "--wait=true"];

/** Deletes the Deployment whose pods mount the corrupted claim, and the claim, so that both come back together. */
const deleteWithClaim = (deployment: string, c: ModelClaim): string[] => [
  "kubectl",
  "delete",
  `deployment/${deployment}`,
  `persistentvolumeclaim/${c.claim}`,
  "-n",
  c.namespace,
  ...deleteNow,
];

/**
 * The model files live on a claim, not in the image: a rollback serves the same corrupted files. Velero restores a
 * volume's file-system backup only into a claim it creates, through the pods it restores with it, so the corrupted
 * claim and the Deployment whose pods mount it go first, then come back together.
 */
function deploymentClaimSteps(ctx: PlanContext, c: Extract<ModelClaim, { mountedBy: "deployment" }>): RecoveryStep[] {
  return [
    {
      name: `Delete the ${c.what} and the corrupted volume ${c.claim}`,
      command: deleteWithClaim(c.deployment, c),
      timeout_seconds: 300,
    },
    veleroRestoreStep(ctx, {
      name: `Restore the files of ${c.claim} and the ${c.what} from the latest backup`,
      namespaces: [c.namespace],
      resources: claimRestoreResources,
      selector: `app.kubernetes.io/name=${c.deployment}`,
      timeout_seconds: 1200,
      validation: [
        "kubectl",
        "get",
        `persistentvolumeclaim/${c.claim}`,
        "-n",
        c.namespace,
        "-o",
        "jsonpath={.status.phase}",
      ],
    }),
    {
      name: `Wait for the ${c.what} to serve the restored models`,
      command: rolloutStatus(`deployment/${c.deployment}`, c.namespace, "600s"),
      timeout_seconds: 660,
    },
  ];
}

/**
 * Only Jobs mount the claim. Their pods stop first (a batch worker would keep serving the corrupted models it
 * loaded; a rank would keep writing checkpoints), then the claim's files come back: from Velero through the backup
 * reader that mounts it, or on EKS from AWS Backup, the directory replaced in place. The Jobs come back last, from
 * the same backup, and start on the restored files.
 */
function jobClaimSteps(ctx: PlanContext, c: Extract<ModelClaim, { mountedBy: "jobs" }>): RecoveryStep[] {
  const batch = ctx.input.workload_type === "batch";
  // A batch plan runs its workers as the cluster plan's Job or the auto-scaling plan's ScaledJob, whose Jobs carry
  // its labels (KEDA copies them) plus scaledjob.keda.sh/name.
  const workers = batch ? "scaledjobs.keda.sh,jobs.batch" : "jobs.batch";
  const stop: RecoveryStep = {
    name: `Stop the ${c.what} reading ${c.claim}`,
    command: batch
      ? ["kubectl", "delete", workers, "-n", c.namespace, "-l", `app.kubernetes.io/name=${c.name}`, ...deleteNow]
      : ["kubectl", "delete", `job/${c.name}`, "-n", c.namespace, ...deleteNow],
    timeout_seconds: 600,
  };
  const restoreFiles: RecoveryStep[] =
    ctx.input.cloud_provider === "aws"
      ? efsRestoreSteps(ctx, [`${c.namespace}/${c.claim}`])
      : [
          {
            name: `Delete the backup reader and the corrupted volume ${c.claim}`,
            command: deleteWithClaim(backupReaderName, c),
            timeout_seconds: 300,
          },
          veleroRestoreStep(ctx, {
            name: `Restore the files of ${c.claim} through the backup reader from the latest backup`,
            namespaces: [c.namespace],
            resources: claimRestoreResources,
            // The claim (labelled with the workload's name) and the reader, not the workers' pods: without their Job
            // they would run once, outside its retries and completions.
            selector: `app.kubernetes.io/name in (${c.name},${backupReaderName}),app.kubernetes.io/component notin (${c.podComponent})`,
            timeout_seconds: 1200,
            validation: rolloutStatus(`deployment/${backupReaderName}`, c.namespace),
          }),
        ];
  return [
    stop,
    ...restoreFiles,
    veleroRestoreStep(ctx, {
      name: batch
        ? "Restore the batch workers' ScaledJob or Job from the latest backup"
        : `Restore the training Job ${c.name}, which resumes from the restored checkpoint`,
      namespaces: [c.namespace],
      resources: workers.split(","),
      // The ScaledJob's own Jobs stay out: it starts new ones for the queue.
      selector: batch ? `app.kubernetes.io/name=${c.name},!scaledjob.keda.sh/name` : `app.kubernetes.io/name=${c.name}`,
      timeout_seconds: 600,
      ...(batch ? {} : { validation: ["kubectl", "get", `job/${c.name}`, "-n", c.namespace, "-o", "wide"] }),
    }),
  ];
}

export function modelCorruptionSteps(ctx: PlanContext): RecoveryStep[] {
  const c = modelClaim(ctx);
  return c.mountedBy === "deployment" ? deploymentClaimSteps(ctx, c) : jobClaimSteps(ctx, c);
}

// Words for what a step does: the dry-run view, the confirmation dialog and the auditors' report all use these,
// so what an SRE approves is what the runner does.
import {
  namespacesTouchedByStep,
  type DrPlan,
  type DrStep,
  type RollbackAction,
  type ValidationAction,
} from "./schema";

type Action = DrStep | RollbackAction | ValidationAction;

export function describeAction(action: Action): string {
  switch (action.type) {
    case "verify_backup":
      return action.recoveryPoint === "after_canary"
        ? `Wait for the next Completed Velero Backup in ${action.veleroNamespace} matching ${action.selector} that started after the canary was written (the schedule's next run, never a backup the drill makes) and use it as the recovery point`
        : `List Velero Backups in ${action.veleroNamespace} matching ${action.selector}; use the newest Completed one started before the drill as the recovery point${action.maxAgeMinutes ? ` (fail if older than ${action.maxAgeMinutes} min)` : ""}`;
    case "create_backup":
      return `Create a Velero Backup of ${action.includedNamespaces.join(", ")} in ${action.veleroNamespace} to storage location ${action.storageLocation} (${action.defaultVolumesToFsBackup ? "volume files copied by file-system backup" : "no file-system backup of volumes"}, ${action.snapshotVolumes ? "volume snapshots taken" : "no volume snapshots"}, TTL ${action.ttlHours} h) and wait until it ends; a backup made by the drill is never counted as the recovery point`;
    case "create_restore": {
      const from =
        action.backupFrom === "latest-verified"
          ? "the backup found by verify_backup"
          : action.backupFrom === "created-in-run"
            ? "the backup created earlier in this drill"
            : `backup ${action.backupFrom}`;
      const mapping = Object.entries(action.namespaceMapping ?? {}).map(([a, b]) => `${a}→${b}`);
      const what = action.includedNamespaces?.length ? ` of ${action.includedNamespaces.join(", ")}` : "";
      return `Wait for the backup's storage location to be Available and the backup to be synced, create a Velero Restore${what} from ${from}${mapping.length ? ` into ${mapping.join(", ")}` : ""} with existingResourcePolicy ${action.existingResourcePolicy}, and wait for a terminal phase (Completed, PartiallyFailed, Failed, FailedValidation) with items restored`;
    }
    case "rollout_undo":
      return `Roll Deployment ${action.namespace}/${action.deployment} back to ${action.toRevision ? `revision ${action.toRevision}` : "its previous revision"} and wait for the rollout`;
    case "scale":
      return `Scale Deployment ${action.namespace}/${action.deployment} to ${action.replicas} replica${action.replicas === 1 ? "" : "s"}`;
    case "wait_pods_ready": {
      const want =
        action.minReady === undefined
          ? "as many pods as the matching Deployments' replicas"
          : `at least ${action.minReady} pod${action.minReady === 1 ? "" : "s"}`;
      return `Wait until ${want} matching ${action.selector} in ${action.namespace} (or the namespace a restore mapped it to) are Ready, counting only pods created after the injected failure`;
    }
    case "inject_failure":
      return `Inject the failure: ${describeFailure(action.failure)}; then confirm it took effect and record the failure instant`;
    case "write_canary":
      return `Write canary ConfigMap ${action.namespace}/${action.configMap} with fresh random data${action.volumeClaim ? ` and, from a Job, a canary file into volume ${action.volumeClaim}` : ""}, and record the sha256`;
    case "verify_canary":
      return `Read canary ${action.namespace}/${action.configMap}${action.volumeClaim ? ` and, from a Job, the canary file in volume ${action.volumeClaim}` : ""} after the restore (in the mapped namespace if any) and compare the sha256 with the one written`;
    case "roll_forward":
      return `Put Deployment ${action.namespace}/${action.deployment} back as it was before the drill changed it (replicas or pod template) and wait for the rollout`;
    case "model_probe":
      return action.golden === "record"
        ? `Run a probe Job in ${action.namespace} that sends ${action.requests.length} golden request(s) to ${action.url} from inside the cluster and record the answers (sha256) as the golden set`
        : `Run a probe Job in ${action.namespace} that sends the golden request(s) to ${action.url} from inside the cluster until every answer equals the recorded one (sha256); that moment ends the RTO`;
    case "delete_scratch_namespace":
      return `Delete scratch namespace ${action.namespace} that a restore of this drill created, and wait until it is gone`;
    case "cleanup":
      return `Remove what this drill left on the cluster: its canary ConfigMaps (and their restored copies), its probe and canary Jobs, and the Velero Backups it created (by DeleteBackupRequest in ${action.veleroNamespace}); list what was removed`;
    case "http_health_check":
      return `GET ${action.url} until it answers ${action.expectStatus}`;
    case "wait_condition":
      return `Wait until ${action.kind} ${action.namespace ? `${action.namespace}/` : ""}${action.name} has condition ${action.condition}=${action.status}`;
    case "manual":
      return `Operator: ${action.instruction}${action.command ? ` Command to run outside the portal: \`${action.command}\`` : ""} (the drill waits for confirmation)`;
  }
}

function describeFailure(failure: Extract<Action, { type: "inject_failure" }>["failure"]): string {
  switch (failure.kind) {
    case "delete_namespace":
      return `delete namespace ${failure.namespace} and everything in it`;
    case "scale_to_zero":
      return `scale Deployment ${failure.namespace}/${failure.deployment} to 0 replicas`;
    case "corrupt_model":
      return `roll out Deployment ${failure.namespace}/${failure.deployment} with the model reference ${failure.image} (a corrupt model)`;
  }
}

export interface DryRunLine {
  index: number;
  name: string;
  type: DrStep["type"];
  wouldDo: string;
  timeoutSeconds: number;
  validation?: string;
  rollback?: string;
  namespaces: string[];
  /** Manual steps pause the live drill until an operator confirms. */
  waitsForOperator: boolean;
}

export function renderDryRun(plan: Pick<DrPlan, "steps">): DryRunLine[] {
  return plan.steps.map((step, index) => ({
    index,
    name: step.name,
    type: step.type,
    wouldDo: `${describeAction(step)}${step.always ? " (runs even after a failure or an abort)" : ""}${step.clusterTargetId ? ` (on cluster target ${step.clusterTargetId})` : ""}`,
    timeoutSeconds: step.timeoutSeconds,
    ...(step.validation
      ? { validation: `${describeAction(step.validation)} (timeout ${step.validation.timeoutSeconds} s)` }
      : {}),
    ...(step.rollback
      ? { rollback: `${describeAction(step.rollback)} (timeout ${step.rollback.timeoutSeconds} s)` }
      : {}),
    namespaces: [
      ...new Set(
        [step, step.validation, step.rollback]
          .filter((s) => s !== undefined)
          .flatMap((s) => namespacesTouchedByStep(s)),
      ),
    ],
    waitsForOperator: step.type === "manual" || step.rollback?.type === "manual",
  }));
}

export interface DestructiveStep {
  index: number;
  name: string;
  /** What is destroyed or changed, in words, with its target. */
  effect: string;
  /** The cluster target the step names, when not the run's. */
  clusterTargetId?: string;
}

/**
 * The steps of a live run that destroy or replace something a person would miss: what the confirmation dialog
 * lists before anyone types the cluster name.
 */
export function destructiveSteps(plan: Pick<DrPlan, "steps">): DestructiveStep[] {
  const out: DestructiveStep[] = [];
  plan.steps.forEach((step, index) => {
    const effect = (() => {
      switch (step.type) {
        case "inject_failure":
          return describeFailure(step.failure);
        case "create_restore":
          return `overwrite ${step.includedNamespaces?.length ? step.includedNamespaces.join(", ") : "every backed-up namespace"}${
            step.namespaceMapping
              ? ` (into ${Object.entries(step.namespaceMapping)
                  .map(([a, b]) => `${a}→${b}`)
                  .join(", ")})`
              : ""
          } from a Velero backup (existingResourcePolicy ${step.existingResourcePolicy})`;
        case "rollout_undo":
          return `roll Deployment ${step.namespace}/${step.deployment} back to ${step.toRevision ? `revision ${step.toRevision}` : "its previous revision"}`;
        case "scale":
          return `scale Deployment ${step.namespace}/${step.deployment} to ${step.replicas} replicas`;
        case "delete_scratch_namespace":
          return `delete scratch namespace ${step.namespace}`;
        default:
          return null;
      }
    })();
    if (effect)
      out.push({
        index,
        name: step.name,
        effect,
        ...(step.clusterTargetId ? { clusterTargetId: step.clusterTargetId } : {}),
      });
  });
  return out;
}

/** Every namespace a live run of the plan may change: the scope plus restore targets (scratch namespaces). */
export function namespacesTouchedByPlan(plan: Pick<DrPlan, "steps" | "scope">): string[] {
  const touched = new Set(plan.scope.namespaces);
  for (const step of plan.steps)
    for (const s of [step, step.validation, step.rollback])
      if (s) for (const ns of namespacesTouchedByStep(s)) touched.add(ns);
  return [...touched].sort();
}

/**
 * Every cluster a run of the plan acts on: the run's own and each step's recovery cluster (cluster_failure restores
 * on a standby). Sorted, so locks taken in this order cannot deadlock.
 */
export function clustersTouchedByPlan(steps: Pick<DrPlan["steps"][number], "clusterTargetId">[], runCluster: string) {
  return [...new Set([runCluster, ...steps.flatMap((s) => (s.clusterTargetId ? [s.clusterTargetId] : []))])].sort();
}

/** Namespaces a live run would touch that the cluster marks protected. */
export function protectedNamespacesTouched(
  plan: Pick<DrPlan, "steps" | "scope">,
  protectedNamespaces: readonly string[],
): string[] {
  const guarded = new Set(protectedNamespaces);
  return namespacesTouchedByPlan(plan).filter((ns) => guarded.has(ns));
}

/** The one live run per plan key and cluster: a unique column holds this while the run is active. */
export function liveLockKey(planKey: string, clusterTargetId: string): string {
  return `${planKey}@${clusterTargetId}`;
}

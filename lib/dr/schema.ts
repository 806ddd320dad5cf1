// Zod schemas of the disaster-recovery domain: plans as data with typed steps. A step is an action the portal
// performs through the Kubernetes API (or a manual step it only shows); nothing here is ever run as a shell string.
import { z } from "zod";
import { isValidCron } from "./cron";
import { isClusterServiceUrl } from "./model-probe";
import type { StoredEvidence } from "./stored-evidence";
import { DNS1123_LABEL_MAX_LENGTH, dns1123LabelPattern, dns1123SubdomainPattern } from "@/lib/k8s/names";

export const dns1123Label = z
  .string()
  .max(DNS1123_LABEL_MAX_LENGTH, `must be at most ${DNS1123_LABEL_MAX_LENGTH} characters`)
  .regex(
    dns1123LabelPattern,
    "must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  );

export const dns1123Name = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(dns1123SubdomainPattern, "must be a DNS-1123 subdomain: lower-case letters, digits, '-' and '.'");

/** Equality-based label selector, e.g. "app=ml-platform,tier!=canary" (what Velero and pods are selected by). */
export const labelSelector = z
  .string()
  .min(1, "is required: e.g. app=ml-platform")
  .max(500)
  .regex(
    /^\s*[A-Za-z0-9][A-Za-z0-9._/-]*\s*(=|==|!=)\s*[A-Za-z0-9._-]*\s*(,\s*[A-Za-z0-9][A-Za-z0-9._/-]*\s*(=|==|!=)\s*[A-Za-z0-9._-]*\s*)*$/,
    "must be key=value pairs separated by commas, e.g. app=ml-platform,tier!=canary",
  );

const timeoutSeconds = z
  .number()
  .int()
  .min(1, "must be at least 1 second")
  .max(86_400, "must be at most 86400 seconds (one day)");
const veleroNamespace = dns1123Label.default("velero");
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

// ── Actions (what a step does) ──

export const verifyBackupAction = z.object({
  type: z.literal("verify_backup"),
  selector: labelSelector,
  /** The newest Completed backup must be at most this old; otherwise the step fails. */
  maxAgeMinutes: z.number().int().min(1).max(525_600).optional(),
  /**
   * "before_drill": the newest backup started before the drill. "after_canary": wait for the schedule's next backup,
   * started after this drill wrote its canary, so the backup an incident would restore carries data the drill can
   * prove; still a backup the schedule made, never one the drill creates.
   */
  recoveryPoint: z.enum(["before_drill", "after_canary"]).default("before_drill"),
  veleroNamespace,
});

export const createBackupAction = z.object({
  type: z.literal("create_backup"),
  includedNamespaces: z.array(dns1123Label).min(1, "name at least one namespace to back up"),
  veleroNamespace,
  ttlHours: z.number().int().min(1).max(8760).default(720),
  /** The BackupStorageLocation to write to; it must be Available before the Backup is created. */
  storageLocation: dns1123Name.default("default"),
  /** Take cloud-provider volume snapshots of the PersistentVolumes. */
  snapshotVolumes: z.boolean().default(false),
  /** Copy every pod volume's files into the backup (file-system backup), so volume data is in it. */
  defaultVolumesToFsBackup: z.boolean().default(true),
});

export const backupFrom = z.union([z.enum(["latest-verified", "created-in-run"]), dns1123Name]);

export const createRestoreAction = z.object({
  type: z.literal("create_restore"),
  /** "latest-verified": the backup an earlier verify_backup step found; "created-in-run": an earlier create_backup's. */
  backupFrom,
  includedNamespaces: z.array(dns1123Label).optional(),
  /** Restore into scratch namespaces (source → target) to drill without touching the live ones. */
  namespaceMapping: z.record(dns1123Label, dns1123Label).optional(),
  /** "update": objects that exist are updated to the backed-up version; "none" (Velero's default) skips them with a warning. */
  existingResourcePolicy: z.enum(["none", "update"]).default("update"),
  veleroNamespace,
});

/** The failures a drill injects on purpose, each confirmed by reading the cluster back. */
export const injectedFailure = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("delete_namespace"), namespace: dns1123Label }),
  z.object({ kind: z.literal("scale_to_zero"), deployment: dns1123Name, namespace: dns1123Label }),
  z.object({
    kind: z.literal("corrupt_model"),
    deployment: dns1123Name,
    namespace: dns1123Label,
    /** The image (model reference) that stands for a corrupt model: the drill rolls it out as a new revision. */
    image: z
      .string()
      .min(1)
      .max(500)
      .regex(/^[^\s]+$/, "must be an image reference without spaces"),
    container: dns1123Label.optional(),
  }),
]);

export const injectFailureAction = z.object({ type: z.literal("inject_failure"), failure: injectedFailure });

// Not "name": that is the step's own name.
const canaryName = dns1123Name.default("dr-canary");
/** Writes a ConfigMap of fresh random data and records its checksum, before the backup that must carry it. */
export const writeCanaryAction = z.object({
  type: z.literal("write_canary"),
  namespace: dns1123Label,
  configMap: canaryName,
  /** Also write a canary file into this PersistentVolumeClaim's volume (a Job mounts it), checked the same way. */
  volumeClaim: dns1123Name.optional(),
});
/** Reads the canary back after the restore (in the mapped namespace) and compares its checksum with the one written. */
export const verifyCanaryAction = z.object({
  type: z.literal("verify_canary"),
  namespace: dns1123Label,
  configMap: canaryName,
  volumeClaim: dns1123Name.optional(),
});
/**
 * Sends a golden set of requests to the model server from inside the drilled cluster (a Job) and compares the
 * answers by content: "record" stores them before the failure, "verify" passes when the same answers come back.
 */
export const modelProbeAction = z.object({
  type: z.literal("model_probe"),
  namespace: dns1123Label,
  url: httpUrl.refine(
    isClusterServiceUrl,
    "must be a cluster-internal Service URL such as http://model-server.ml-inference.svc.cluster.local:8080/v1/completions: the probe runs inside the cluster",
  ),
  requests: z.array(z.string().min(1).max(500)).min(1, "give at least one golden request").max(10),
  golden: z.enum(["record", "verify"]),
  /** The `model` field of each request: OpenAI-style servers (vLLM, TGI) refuse or misroute a request without it. */
  model: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^"\\\s]+$/, "must be a model name without quotes, backslashes or spaces, e.g. meta-llama/Llama-3.1-8B")
    .optional(),
});
/** Puts back what the drill changed on a Deployment (replicas or pod template recorded before its first change). */
export const rollForwardAction = z.object({
  type: z.literal("roll_forward"),
  deployment: dns1123Name,
  namespace: dns1123Label,
});
/**
 * Removes what this drill left on the step's cluster: the canary ConfigMaps it wrote (and their restored copies),
 * its probe and canary Jobs, and the Velero Backups it created (through a DeleteBackupRequest, so the data in
 * object storage goes too and backup sync does not bring them back). Objects are found by the drill's run label.
 */
export const cleanupAction = z.object({
  type: z.literal("cleanup"),
  veleroNamespace,
  /**
   * On a recovery cluster: also remove what this run's restore created there (objects labelled
   * velero.io/restore-name=<the restore>) in these namespaces, so the standby does not keep serving the drill's copy.
   */
  restoredNamespaces: z.array(dns1123Label).max(50).optional(),
});
/** Deletes a scratch namespace an earlier restore created (only a namespaceMapping target may be named). */
export const deleteScratchNamespaceAction = z.object({
  type: z.literal("delete_scratch_namespace"),
  namespace: dns1123Label,
});

export const rolloutUndoAction = z.object({
  type: z.literal("rollout_undo"),
  deployment: dns1123Name,
  namespace: dns1123Label,
  /** Roll back to this revision; the previous one when omitted (as `kubectl rollout undo`). */
  toRevision: z.number().int().min(1).optional(),
});

export const scaleAction = z.object({
  type: z.literal("scale"),
  deployment: dns1123Name,
  namespace: dns1123Label,
  replicas: z.number().int().min(0).max(1000),
});

export const waitPodsReadyAction = z.object({
  type: z.literal("wait_pods_ready"),
  namespace: dns1123Label,
  selector: labelSelector,
  /** Omitted: the replicas of the Deployments in the namespace whose pods the selector matches. */
  minReady: z.number().int().min(1).max(10_000).optional(),
});

export const httpHealthCheckAction = z.object({
  type: z.literal("http_health_check"),
  url: httpUrl,
  expectStatus: z.number().int().min(100).max(599).default(200),
});

export const waitConditionAction = z.object({
  type: z.literal("wait_condition"),
  apiVersion: z
    .string()
    .min(1)
    .max(200)
    .regex(/^([a-z0-9.-]+\/)?v[0-9]+((alpha|beta)[0-9]+)?$/, "must be an apiVersion such as apps/v1"),
  kind: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Z][A-Za-z0-9]*$/, "must be a Kind such as Deployment"),
  name: dns1123Name,
  namespace: dns1123Label.optional(),
  condition: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, "must be a condition type such as Available"),
  status: z.enum(["True", "False", "Unknown"]).default("True"),
});

export const manualAction = z.object({
  type: z.literal("manual"),
  instruction: z.string().min(1, "tell the operator what to do").max(2000),
  /** Shown verbatim for the operator to run outside the portal; the portal never executes it. */
  command: z.string().max(2000).optional(),
});

/** Checks that may validate a step after it succeeded. */
export const validationAction = z
  .discriminatedUnion("type", [waitPodsReadyAction, httpHealthCheckAction, waitConditionAction])
  .and(z.object({ timeoutSeconds: timeoutSeconds.default(120) }));
/** Actions that may undo a step when it fails or the drill is aborted during it. */
export const rollbackAction = z
  .discriminatedUnion("type", [rolloutUndoAction, scaleAction, manualAction])
  .and(z.object({ timeoutSeconds: timeoutSeconds.default(300) }));

const stepBase = {
  name: z.string().min(1, "give the step a name").max(120),
  timeoutSeconds,
  validation: validationAction.optional(),
  rollback: rollbackAction.optional(),
  /** Runs even when an earlier step failed or the drill was aborted: roll-forward and cleanup. */
  always: z.boolean().default(false),
  /** Runs against this registered cluster instead of the run's (e.g. the recovery cluster of cluster_failure). */
  clusterTargetId: z.string().min(1).optional(),
};

export const drStep = z.discriminatedUnion("type", [
  verifyBackupAction.extend(stepBase),
  createBackupAction.extend(stepBase),
  createRestoreAction.extend(stepBase),
  rolloutUndoAction.extend(stepBase),
  scaleAction.extend(stepBase),
  waitPodsReadyAction.extend(stepBase),
  httpHealthCheckAction.extend(stepBase),
  waitConditionAction.extend(stepBase),
  manualAction.extend(stepBase),
  injectFailureAction.extend(stepBase),
  writeCanaryAction.extend(stepBase),
  verifyCanaryAction.extend(stepBase),
  rollForwardAction.extend(stepBase),
  deleteScratchNamespaceAction.extend(stepBase),
  modelProbeAction.extend(stepBase),
  cleanupAction.extend(stepBase),
]);

export type DrStep = z.infer<typeof drStep>;
export type DrStepInput = z.input<typeof drStep>;
export type DrStepType = DrStep["type"];
export type ValidationAction = z.infer<typeof validationAction>;
export type RollbackAction = z.infer<typeof rollbackAction>;
export const drStepTypes = drStep.options.map((o) => o.shape.type.value) as DrStepType[];

export const planKey = z
  .string()
  .min(2)
  .max(63)
  .regex(/^[a-z][a-z0-9_-]*$/, "must start with a letter and hold only lower-case letters, digits, '_' and '-'");

export const cronSchedule = z
  .string()
  .refine(
    isValidCron,
    "must be a 5-field cron expression in UTC, e.g. '0 3 * * 1' (minute hour day-of-month month day-of-week)",
  );

// Each field once, without defaults: the full plan adds its defaults, an edit takes any subset of them unchanged.
const planField = {
  name: z.string().min(1, "give the plan a name").max(200),
  description: z.string().max(5000),
  clusterTargetId: z.string().min(1).nullable(),
  namespaces: z.array(dns1123Label).min(1, "name at least one namespace the plan acts on"),
  rtoMinutes: z.number().int().min(1, "must be at least 1 minute").max(10_080),
  rpoMinutes: z.number().int().min(1, "must be at least 1 minute").max(525_600),
  allowRestoreWarnings: z.boolean(),
  schedule: cronSchedule.nullable(),
  steps: z.array(drStep).min(1, "a plan needs at least one step").max(50),
};

// Which health-check URLs may be fetched is the admin's URL allow-list in Settings, not a field of the plan: a
// plan that still carries the old healthCheckAllowList is read without it, and it grants nothing.
const planFields = z.object({
  key: planKey,
  name: planField.name,
  description: planField.description.default(""),
  scope: z.object({ clusterTargetId: planField.clusterTargetId.default(null), namespaces: planField.namespaces }),
  rtoMinutes: planField.rtoMinutes,
  rpoMinutes: planField.rpoMinutes,
  allowRestoreWarnings: planField.allowRestoreWarnings.default(false),
  schedule: planField.schedule.default(null),
  steps: planField.steps,
});

/** Namespaces a step acts on (not Velero's own namespace, where only Backup/Restore objects are created). */
export function namespacesTouchedByStep(step: DrStep | RollbackAction | ValidationAction): string[] {
  switch (step.type) {
    case "create_backup":
      return [];
    case "create_restore":
      return [...(step.includedNamespaces ?? []), ...Object.values(step.namespaceMapping ?? {})];
    case "rollout_undo":
    case "scale":
    case "wait_pods_ready":
    case "write_canary":
    case "verify_canary":
    case "roll_forward":
    case "delete_scratch_namespace":
    case "model_probe":
      return [step.namespace];
    case "inject_failure":
      return [step.failure.namespace];
    case "wait_condition":
      return step.namespace ? [step.namespace] : [];
    case "cleanup":
      return step.restoredNamespaces ?? [];
    default:
      return [];
  }
}

/** The key of the plan that recovers a lost cluster on another one (lib/dr/templates.ts). */
export const clusterFailureKey = "cluster_failure";

/**
 * Why a cluster_failure restore step cannot prove the recovery, if it cannot: restoring on the cluster that was
 * "lost" (the primary, which still holds everything) shows nothing about rebuilding elsewhere. Null when fine.
 */
export function recoveryClusterIssue(
  planKey: string,
  primaryClusterTargetId: string | null | undefined,
  restoreClusterTargetId: string | undefined,
): string | null {
  if (planKey !== clusterFailureKey || !primaryClusterTargetId) return null;
  if (!restoreClusterTargetId)
    return "a cluster_failure restore must run on the recovery cluster: set clusterTargetId to a registered cluster other than the plan's";
  if (restoreClusterTargetId === primaryClusterTargetId)
    return "is the plan's own (primary) cluster: a cluster_failure restore must run on a different, recovery cluster";
  return null;
}

export const drPlanInput = planFields.superRefine((plan, ctx) => {
  const inScope = new Set(plan.scope.namespaces);
  let verified = false;
  let created = false;
  let canary = false;
  const scratch = new Set<string>();
  plan.steps.forEach((step, i) => {
    const ownNamespaces = [step, step.validation, step.rollback].filter(Boolean).flatMap((s) => {
      const touched = namespacesTouchedByStep(s!);
      // Restore targets may be scratch namespaces; their sources must be in scope. So may what reads or removes them.
      if (s!.type === "create_restore")
        return [...(s!.includedNamespaces ?? []), ...Object.keys(s!.namespaceMapping ?? {})];
      return touched.filter((ns) => !scratch.has(ns));
    });
    if (step.type === "create_restore")
      for (const target of Object.values(step.namespaceMapping ?? {})) scratch.add(target);
    if (step.type === "delete_scratch_namespace" && !scratch.has(step.namespace)) {
      ctx.addIssue({
        code: "custom",
        path: ["steps", i, "namespace"],
        message: `namespace ${step.namespace} is not the namespaceMapping target of an earlier create_restore step: only scratch namespaces a restore created may be deleted`,
      });
    }
    for (const ns of ownNamespaces) {
      if (!inScope.has(ns))
        ctx.addIssue({
          code: "custom",
          path: ["steps", i],
          message: `namespace ${ns} is outside the plan's scope: add it to scope.namespaces or change the step`,
        });
    }
    if (step.type === "create_backup") {
      created = true;
      for (const ns of step.includedNamespaces) {
        if (!inScope.has(ns))
          ctx.addIssue({
            code: "custom",
            path: ["steps", i, "includedNamespaces"],
            message: `namespace ${ns} is outside the plan's scope: add it to scope.namespaces`,
          });
      }
    }
    if (step.type === "write_canary") canary = true;
    if (step.type === "verify_backup") {
      verified = true;
      if (step.recoveryPoint === "after_canary" && !canary)
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "recoveryPoint"],
          message: '"after_canary" needs an earlier write_canary step: add one or use "before_drill"',
        });
    }
    if (step.type === "create_restore") {
      const recovery = recoveryClusterIssue(plan.key, plan.scope.clusterTargetId, step.clusterTargetId);
      if (recovery) ctx.addIssue({ code: "custom", path: ["steps", i, "clusterTargetId"], message: recovery });
      if (step.backupFrom === "latest-verified" && !verified)
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "backupFrom"],
          message: '"latest-verified" needs an earlier verify_backup step: add one or name a backup',
        });
      if (step.backupFrom === "created-in-run" && !created)
        ctx.addIssue({
          code: "custom",
          path: ["steps", i, "backupFrom"],
          message: '"created-in-run" needs an earlier create_backup step: add one or name a backup',
        });
    }
  });
  // Nobody is there to confirm a manual step of a scheduled run: it would wait out its timeout with the failure
  // injected. Refused when the plan is saved rather than skipped at 3 a.m.
  if (plan.schedule) {
    const manual = plan.steps.flatMap((s, i) =>
      s.type === "manual" || s.rollback?.type === "manual" ? [`${i + 1} (${s.name})`] : [],
    );
    if (manual.length > 0)
      ctx.addIssue({
        code: "custom",
        path: ["schedule"],
        message: `a scheduled drill runs unattended, but steps ${manual.join(", ")} need an operator: remove the schedule (run this plan by hand) or replace the manual steps`,
      });
  }
});

export type DrPlanInput = z.input<typeof drPlanInput>;
export type DrPlan = z.infer<typeof drPlanInput>;

// ── Use-case inputs (API bodies) ──

export const startDrillInput = z.object({
  planKey,
  /** A specific version; the newest when omitted. */
  planVersion: z.number().int().min(1).optional(),
  clusterTargetId: z.string().min(1).optional(),
  mode: z.enum(["dry_run", "live"]).default("dry_run"),
  /** For live runs: must equal the cluster target's name. */
  confirmation: z.string().max(300).optional(),
  /** Admins only: lets a live run touch protected namespaces. */
  overrideProtectedReason: z
    .string()
    .trim()
    .min(10, "explain the override in at least 10 characters")
    .max(1000)
    .optional(),
});
export type StartDrillInput = z.input<typeof startDrillInput>;

/** Optional bodies: an abort or a confirmation may be sent without one. */
export const abortDrillInput = z.object({ reason: z.string().trim().max(1000).default("") }).optional();
export const confirmStepInput = z.object({ note: z.string().trim().max(1000).default("") }).optional();
/**
 * PATCH body: only the fields it names change (no defaults here, or an absent field would reset the stored one);
 * the merged plan is validated as a whole. A body still sending healthCheckAllowList is told where it went.
 */
export const editPlanInput = z
  .object({
    name: planField.name,
    description: planField.description,
    scope: z.object({ clusterTargetId: planField.clusterTargetId, namespaces: planField.namespaces }).partial(),
    rtoMinutes: planField.rtoMinutes,
    rpoMinutes: planField.rpoMinutes,
    allowRestoreWarnings: planField.allowRestoreWarnings,
    schedule: planField.schedule,
    steps: planField.steps,
    healthCheckAllowList: z.never({
      error:
        "health-check URLs are allowed by the URL allow-list in Settings (a platform admin edits it): remove healthCheckAllowList from the plan",
    }),
  })
  .partial()
  .extend({ changeNote: z.string().max(1000).default("") });
export const copyPlanInput = z.object({
  newKey: planKey,
  name: z.string().min(1).max(200).optional(),
  clusterTargetId: z.string().min(1).nullable().optional(),
});

// Responses of the DR routes (route() holds each handler to its schema; the OpenAPI document and lib/client read them).

const drillModes = ["dry_run", "live"] as const;
const dryRunLine = z.object({
  index: z.number().int(),
  name: z.string(),
  type: z.enum(drStepTypes as [DrStepType, ...DrStepType[]]),
  wouldDo: z.string(),
  timeoutSeconds: z.number(),
  validation: z.string().optional(),
  rollback: z.string().optional(),
  namespaces: z.array(z.string()),
  waitsForOperator: z.boolean(),
});
export const planListResponse = z.object({
  plans: z.array(
    z.object({
      key: z.string(),
      version: z.number().int(),
      name: z.string(),
      description: z.string(),
      isTemplate: z.boolean(),
      cluster: z.object({ id: z.string(), name: z.string() }).nullable(),
      namespaces: z.array(z.string()),
      touchedNamespaces: z.array(z.string()),
      destructive: z.array(
        z.object({
          index: z.number().int(),
          name: z.string(),
          effect: z.string(),
          clusterTargetId: z.string().optional(),
        }),
      ),
      rtoMinutes: z.number(),
      rpoMinutes: z.number(),
      schedule: z.string().nullable(),
      stepCount: z.number().int(),
      lastRun: z
        .object({ id: z.string(), mode: z.string(), status: z.string(), cluster: z.string(), createdAt: z.string() })
        .nullable(),
      lastLive: z
        .object({
          id: z.string(),
          status: z.string(),
          rtoSeconds: z.number().nullable(),
          rpoSeconds: z.number().nullable(),
          /** How the RPO was judged ("n/a: recovered by rollout undo …" when no backup was restored). */
          rpoBasis: z.string().nullable(),
          finishedAt: z.string().nullable(),
          reason: z.string().nullable(),
        })
        .nullable(),
    }),
  ),
});
export const planResponse = z.object({
  version: z.number().int(),
  isTemplate: z.boolean(),
  plan: z.record(z.string(), z.unknown()).meta({ description: "The plan as stored (the body of PATCH, validated)" }),
  dryRun: z.array(dryRunLine),
});
export const planVersionResponse = z.object({ key: z.string(), version: z.number().int() });
export const planHistoryResponse = z.object({
  runs: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      mode: z.string(),
      status: z.string(),
      planVersion: z.number().int(),
      cluster: z.string(),
      trigger: z.string(),
      rtoMinutes: z.number().nullable(),
      rpoMinutes: z.number().nullable(),
      rtoTargetMinutes: z.number(),
      rpoTargetMinutes: z.number(),
      reason: z.string().nullable(),
    }),
  ),
});
export const drillStartedResponse = z.object({
  runId: z.string(),
  mode: z.enum(drillModes),
  planKey: z.string(),
  planVersion: z.number().int(),
  clusterName: z.string(),
  namespaces: z.array(z.string()),
  steps: z.array(dryRunLine),
});
export const drillRunResponse = z.object({
  id: z.string(),
  plan: z.object({
    key: z.string(),
    name: z.string(),
    version: z.number().int(),
    rtoMinutes: z.number(),
    rpoMinutes: z.number(),
    allowRestoreWarnings: z.boolean(),
  }),
  cluster: z.object({ id: z.string(), name: z.string(), isSandbox: z.boolean() }),
  namespaces: z.array(z.string()),
  mode: z.string(),
  status: z.string(),
  trigger: z.string(),
  abortRequested: z.boolean(),
  abortedBy: z.string().nullable(),
  overrideReason: z.string().nullable(),
  attempt: z.number().int(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  measuredRtoSeconds: z.number().nullable(),
  measuredRpoSeconds: z.number().nullable(),
  verdictReason: z.string().nullable(),
  /** What the run proved: failure instant, recovery point, signals (lib/dr/drill-verdict.ts DrillEvidence). */
  evidence: z.custom<StoredEvidence>((value) => typeof value === "object" && value !== null),
  steps: z.array(
    z.object({
      index: z.number().int(),
      name: z.string(),
      type: z.string(),
      state: z.string(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      output: z.unknown(),
      error: z.string().nullable(),
      confirmedBy: z.string().nullable(),
      confirmedAt: z.string().nullable(),
    }),
  ),
});
export const drillAbortResponse = z.object({ status: z.string() });
export const stepConfirmedResponse = z.object({ confirmedAt: z.string() });
export const backupStatusResponse = z.object({
  clusters: z.array(
    z.object({
      clusterTargetId: z.string(),
      clusterName: z.string(),
      isSandbox: z.boolean(),
      backup: z
        .object({
          name: z.string(),
          startedAt: z.string(),
          startedAtSource: z.enum(["status.startTimestamp", "metadata.creationTimestamp"]),
          ageSeconds: z.number(),
        })
        .nullable(),
      error: z.string().optional(),
    }),
  ),
});
/** The auditors' report: Markdown, or HTML laid out for printing. */
export const drillReportResponse = z.string();

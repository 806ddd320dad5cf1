// The reference design's three recovery plans as typed templates that prove recovery: each records what "working"
// looks like (golden model answers, canary data), injects its failure as a typed step, recovers through the
// Kubernetes API, and checks by content from inside the drilled cluster. Work that happens outside the cluster
// (Terraform, Helm, test suites) stays a manual step that shows the command: the portal never runs it.
import { drPlanInput, type DrPlan, type DrPlanInput, type DrStepInput } from "./schema";

export interface TemplateOptions {
  /** The inference Deployment (and its app label and Service) in ml-inference; "model-server" in the reference. */
  modelServerDeployment?: string;
  /** The port and path of the model server's completions endpoint behind its Service. */
  modelServerPort?: number;
  modelServerPath?: string;
  /** Label selector of the Velero Backups a schedule makes: the recovery points. */
  backupSelector?: string;
  /** How often that schedule runs: data_loss and cluster_failure wait up to this (plus 30 min) for its next backup. */
  backupIntervalMinutes?: number;
  /** The model reference that stands for a corrupt model in model_corruption. */
  corruptModelImage?: string;
  /** cluster_failure: the registered cluster to recover on (the run's cluster when omitted). */
  recoveryClusterTargetId?: string;
  /** The namespaces cluster_failure restores. */
  clusterNamespaces?: string[];
  /** A PersistentVolumeClaim in ml-inference whose volume data_loss writes a canary file into. */
  canaryVolumeClaim?: string;
  /** Requests whose answers must be the same after recovery. */
  goldenRequests?: string[];
  /** The `model` the golden requests name (the served model's name on an OpenAI-style server). */
  modelName?: string;
}

export const templateKeys = ["cluster_failure", "model_corruption", "data_loss"] as const;
export type TemplateKey = (typeof templateKeys)[number];

const defaultGolden = [
  "What is the capital of France?",
  "Summarise in one sentence: GPUs speed up matrix multiplication.",
  "Translate to German: good morning",
];

export function drTemplateInputs(options: TemplateOptions = {}): Record<TemplateKey, DrPlanInput> {
  const server = options.modelServerDeployment ?? "model-server";
  const backups = options.backupSelector ?? "app.kubernetes.io/part-of=ml-platform";
  const modelUrl = `http://${server}.ml-inference.svc.cluster.local:${options.modelServerPort ?? 8080}${options.modelServerPath ?? "/v1/completions"}`;
  const requests = options.goldenRequests ?? defaultGolden;
  const recovery = options.recoveryClusterTargetId ? { clusterTargetId: options.recoveryClusterTargetId } : {};
  const clusterNamespaces = options.clusterNamespaces ?? ["ml-training", "ml-inference", "mlflow", "feast"];
  const probe = (name: string, golden: "record" | "verify", extra: Partial<DrStepInput> = {}): DrStepInput =>
    ({
      name,
      type: "model_probe",
      namespace: "ml-inference",
      url: modelUrl,
      requests,
      golden,
      ...(options.modelName ? { model: options.modelName } : {}),
      timeoutSeconds: golden === "record" ? 120 : 300,
      ...extra,
    }) as DrStepInput;
  const pods = (extra: Partial<DrStepInput> = {}): DrStepInput =>
    ({
      name: "Wait for the model server's pods",
      type: "wait_pods_ready",
      namespace: "ml-inference",
      selector: `app=${server}`,
      timeoutSeconds: 300,
      ...extra,
    }) as DrStepInput;
  const volume = options.canaryVolumeClaim ? { volumeClaim: options.canaryVolumeClaim } : {};
  const writeCanary: DrStepInput = {
    name: "Write canary data",
    type: "write_canary",
    namespace: "ml-inference",
    ...volume,
    timeoutSeconds: 120,
  };
  const verifyCanary = (extra: Partial<DrStepInput> = {}): DrStepInput =>
    ({
      name: "Verify canary data",
      type: "verify_canary",
      namespace: "ml-inference",
      ...volume,
      timeoutSeconds: 300,
      ...extra,
    }) as DrStepInput;
  // The recovery point is the schedule's next backup after the canary: a backup an incident would restore (the
  // drill never makes its own), and one that carries data the drill can prove after the restore.
  const nextScheduledBackup: DrStepInput = {
    name: "Wait for the schedule's next backup (the recovery point)",
    type: "verify_backup",
    selector: backups,
    recoveryPoint: "after_canary",
    timeoutSeconds: ((options.backupIntervalMinutes ?? 60) + 30) * 60,
  };
  const cleanup = (name: string, extra: Partial<DrStepInput> = {}): DrStepInput =>
    ({ name, type: "cleanup", always: true, timeoutSeconds: 300, ...extra }) as DrStepInput;
  return {
    model_corruption: {
      key: "model_corruption",
      name: "Model Artifact Recovery",
      description:
        "Records the model server's answers to a golden set of requests, rolls out a corrupt model reference, rolls the Deployment back, and passes when the same answers come back from inside the cluster. The roll-forward step always runs, so a failed drill never leaves the corrupt model serving. No backup is restored: RPO is n/a (the undo returns to the revision that served until the failure).",
      scope: { clusterTargetId: null, namespaces: ["ml-inference"] },
      rtoMinutes: 15,
      rpoMinutes: 60,
      steps: [
        probe("Record golden model answers", "record"),
        {
          name: "Corrupt the model reference",
          type: "inject_failure",
          failure: {
            kind: "corrupt_model",
            deployment: server,
            namespace: "ml-inference",
            image: options.corruptModelImage ?? "registry.invalid/ml-platform/corrupt-model:dr-drill",
          },
          timeoutSeconds: 120,
        },
        {
          name: "Rollback model deployment",
          type: "rollout_undo",
          deployment: server,
          namespace: "ml-inference",
          timeoutSeconds: 300,
          validation: {
            type: "wait_condition",
            apiVersion: "apps/v1",
            kind: "Deployment",
            name: server,
            namespace: "ml-inference",
            condition: "Available",
            timeoutSeconds: 120,
          },
        },
        pods(),
        probe("Verify model predictions", "verify"),
        {
          name: "Roll forward anything the drill left changed",
          type: "roll_forward",
          deployment: server,
          namespace: "ml-inference",
          always: true,
          timeoutSeconds: 300,
        },
      ],
    },
    data_loss: {
      key: "data_loss",
      name: "Data Loss Recovery",
      description:
        "Writes canary data (a ConfigMap and a file in the model volume), waits for the backup schedule's next backup to carry it, deletes the namespace, restores that backup with Velero, and passes when the canary's checksums, the pods and the golden model answers are back (the restore also runs after an abort or a failure once the namespace is deleted). RPO is the age, at the deletion, of the backup restored (by status.startTimestamp); the drill never makes a backup of its own. The cleanup step always runs and removes the canary and the drill's Jobs.",
      scope: { clusterTargetId: null, namespaces: ["ml-inference"] },
      rtoMinutes: 30,
      rpoMinutes: 1440,
      steps: [
        probe("Record golden model answers", "record"),
        writeCanary,
        nextScheduledBackup,
        {
          name: "Delete the namespace",
          type: "inject_failure",
          failure: { kind: "delete_namespace", namespace: "ml-inference" },
          timeoutSeconds: 300,
        },
        // Always: an abort or failure after the deletion must not leave the namespace gone.
        {
          name: "Restore the namespace",
          type: "create_restore",
          backupFrom: "latest-verified",
          includedNamespaces: ["ml-inference"],
          existingResourcePolicy: "update",
          always: true,
          timeoutSeconds: 900,
        },
        verifyCanary(),
        pods(),
        probe("Verify model predictions", "verify"),
        cleanup("Remove the canary and the drill's Jobs"),
      ],
    },
    cluster_failure: {
      key: "cluster_failure",
      name: "Full Cluster Recovery",
      description:
        "Writes canary data and waits for the schedule's next backup to carry it, stops serving on the primary cluster, rebuilds a cluster and its add-ons (manual), waits there for Velero's storage location and backup sync, restores the ML namespaces, and passes when the canary's checksums and the golden model answers come back from inside the recovery cluster. Set the recovery steps' clusterTargetId to the recovery cluster; the primary is scaled back and both clusters are cleaned up at the end whatever happened.",
      scope: { clusterTargetId: null, namespaces: [...new Set([...clusterNamespaces, "ml-inference"])] },
      rtoMinutes: 60,
      rpoMinutes: 360,
      steps: [
        probe("Record golden model answers", "record"),
        writeCanary,
        nextScheduledBackup,
        {
          name: "Stop serving on the primary",
          type: "inject_failure",
          failure: { kind: "scale_to_zero", deployment: server, namespace: "ml-inference" },
          timeoutSeconds: 300,
        },
        {
          name: "Create new EKS cluster",
          type: "manual",
          instruction:
            "Create the replacement cluster with Terraform from the platform repository and register it in the portal, then confirm here.",
          command: "terraform apply -target=module.eks",
          timeoutSeconds: 1800,
          rollback: {
            type: "manual",
            instruction: "Destroy the half-created cluster before retrying.",
            command: "terraform destroy -target=module.eks",
          },
        },
        {
          name: "Install cluster add-ons",
          type: "manual",
          instruction:
            "Install the cluster add-ons (Velero pointing at the same bucket, Karpenter, KEDA, device plugin) with Helm, then confirm.",
          command: "helm upgrade --install -f values.yaml",
          timeoutSeconds: 600,
        },
        {
          name: "Restore from Velero backup",
          type: "create_restore",
          backupFrom: "latest-verified",
          includedNamespaces: [...new Set([...clusterNamespaces, "ml-inference"])],
          existingResourcePolicy: "update",
          timeoutSeconds: 1800,
          ...recovery,
        },
        verifyCanary(recovery),
        pods(recovery),
        probe("Verify model predictions", "verify", recovery),
        {
          name: "Run smoke tests",
          type: "manual",
          instruction: "Run the smoke test suite against the restored cluster and confirm it passed.",
          command: "pytest tests/smoke/ -v",
          timeoutSeconds: 600,
        },
        {
          name: "Bring the primary back",
          type: "roll_forward",
          deployment: server,
          namespace: "ml-inference",
          always: true,
          timeoutSeconds: 300,
        },
        cleanup("Remove the canary and the drill's Jobs from the primary"),
        ...(options.recoveryClusterTargetId
          ? [
              {
                ...cleanup(
                  "Remove the canary, the drill's Jobs and the restored copy from the recovery cluster",
                  recovery,
                ),
                restoredNamespaces: [...new Set([...clusterNamespaces, "ml-inference"])],
              } as DrStepInput,
            ]
          : []),
      ],
    },
  };
}

/**
 * Template options for the demo's sandbox cluster (test-support/k8s-api-double/seed-demo-state.ts): its inference
 * Deployment and Service are llm-server on port 8000, its backups come from the ml-inference-frequent schedule
 * (every 2 minutes, so a drill waits minutes rather than hours for the backup that carries its canary), its
 * model-cache volume takes the canary file, and it has only the ml-inference and ml-training namespaces.
 * `recoveryClusterTargetId`: the sandbox's standby cluster, where cluster_failure restores.
 */
export function sandboxTemplateOptions(recoveryClusterTargetId?: string): TemplateOptions {
  return {
    modelServerDeployment: "llm-server",
    modelServerPort: 8000,
    backupSelector: "velero.io/schedule-name=ml-inference-frequent",
    backupIntervalMinutes: 2,
    clusterNamespaces: ["ml-inference"],
    canaryVolumeClaim: "model-cache",
    ...(recoveryClusterTargetId ? { recoveryClusterTargetId } : {}),
  };
}

/** The templates parsed (defaults filled in); throws if a template ever stops satisfying the plan schema. */
export function drTemplates(options: TemplateOptions = {}): DrPlan[] {
  return Object.values(drTemplateInputs(options)).map((t) => drPlanInput.parse(t));
}

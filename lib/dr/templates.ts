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
  /** Label selector of the Velero Backups that are the recovery points. */
  backupSelector?: string;
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
}

export const templateKeys = ["cluster_failure", "model_corruption", "data_loss"] as const;
export type TemplateKey = (typeof templateKeys)[number];

const defaultGolden = ["What is the capital of France?", "Summarise in one sentence: GPUs speed up matrix multiplication.", "Translate to German: good morning"];

export function drTemplateInputs(options: TemplateOptions = {}): Record<TemplateKey, DrPlanInput> {
  const server = options.modelServerDeployment ?? "model-server";
  const backups = options.backupSelector ?? "app.kubernetes.io/part-of=ml-platform";
  const modelUrl = `http://${server}.ml-inference.svc.cluster.local:${options.modelServerPort ?? 8080}${options.modelServerPath ?? "/v1/completions"}`;
  const requests = options.goldenRequests ?? defaultGolden;
  const recovery = options.recoveryClusterTargetId ? { clusterTargetId: options.recoveryClusterTargetId } : {};
  const clusterNamespaces = options.clusterNamespaces ?? ["ml-training", "ml-inference", "mlflow", "feast"];
  const probe = (name: string, golden: "record" | "verify", extra: Partial<DrStepInput> = {}): DrStepInput => ({ name, type: "model_probe", namespace: "ml-inference", url: modelUrl, requests, golden, timeoutSeconds: golden === "record" ? 120 : 300, ...extra }) as DrStepInput;
  const pods = (extra: Partial<DrStepInput> = {}): DrStepInput => ({ name: "Wait for the model server's pods", type: "wait_pods_ready", namespace: "ml-inference", selector: `app=${server}`, timeoutSeconds: 300, ...extra }) as DrStepInput;
  const verifyBackup: DrStepInput = { name: "Identify the recovery point", type: "verify_backup", selector: backups, timeoutSeconds: 60 };
  return {
    model_corruption: {
      key: "model_corruption",
      name: "Model Artifact Recovery",
      description: "Records the model server's answers to a golden set of requests, rolls out a corrupt model reference, rolls the Deployment back, and passes when the same answers come back from inside the cluster. The roll-forward step always runs, so a failed drill never leaves the corrupt model serving. No backup is restored: RPO is n/a (the undo returns to the revision that served until the failure).",
      scope: { clusterTargetId: null, namespaces: ["ml-inference"] },
      rtoMinutes: 15,
      rpoMinutes: 60,
      steps: [
        probe("Record golden model answers", "record"),
        { name: "Corrupt the model reference", type: "inject_failure", failure: { kind: "corrupt_model", deployment: server, namespace: "ml-inference", image: options.corruptModelImage ?? "registry.invalid/ml-platform/corrupt-model:dr-drill" }, timeoutSeconds: 120 },
        {
          name: "Rollback model deployment",
          type: "rollout_undo",
          deployment: server,
          namespace: "ml-inference",
          timeoutSeconds: 300,
          validation: { type: "wait_condition", apiVersion: "apps/v1", kind: "Deployment", name: server, namespace: "ml-inference", condition: "Available", timeoutSeconds: 120 },
        },
        pods(),
        probe("Verify model predictions", "verify"),
        { name: "Roll forward anything the drill left changed", type: "roll_forward", deployment: server, namespace: "ml-inference", always: true, timeoutSeconds: 300 },
      ],
    },
    data_loss: {
      key: "data_loss",
      name: "Data Loss Recovery",
      description: "Writes canary data, backs up ml-inference with its volume files, deletes the namespace, restores it with Velero, and passes when the canary's checksum, the pods and the golden model answers are back. RPO is the age, at the deletion, of the newest backup made before the drill (the drill's own backup carries the canary and never counts).",
      scope: { clusterTargetId: null, namespaces: ["ml-inference"] },
      rtoMinutes: 30,
      rpoMinutes: 1440,
      steps: [
        verifyBackup,
        probe("Record golden model answers", "record"),
        { name: "Write canary data", type: "write_canary", namespace: "ml-inference", ...(options.canaryVolumeClaim ? { volumeClaim: options.canaryVolumeClaim } : {}), timeoutSeconds: 120 },
        { name: "Back up with the canary", type: "create_backup", includedNamespaces: ["ml-inference"], defaultVolumesToFsBackup: true, timeoutSeconds: 900 },
        { name: "Delete the namespace", type: "inject_failure", failure: { kind: "delete_namespace", namespace: "ml-inference" }, timeoutSeconds: 300 },
        { name: "Restore the namespace", type: "create_restore", backupFrom: "created-in-run", includedNamespaces: ["ml-inference"], existingResourcePolicy: "update", timeoutSeconds: 900 },
        { name: "Verify canary data", type: "verify_canary", namespace: "ml-inference", ...(options.canaryVolumeClaim ? { volumeClaim: options.canaryVolumeClaim } : {}), timeoutSeconds: 120 },
        pods(),
        probe("Verify model predictions", "verify"),
      ],
    },
    cluster_failure: {
      key: "cluster_failure",
      name: "Full Cluster Recovery",
      description: "Stops serving on the primary cluster, rebuilds a cluster and its add-ons (manual), waits there for Velero's storage location and backup sync, restores the ML namespaces from the newest backup made before the drill, and passes when the golden model answers come back from inside the recovery cluster. Set the restore steps' clusterTargetId to the recovery cluster; the primary is scaled back at the end whatever happened.",
      scope: { clusterTargetId: null, namespaces: [...new Set([...clusterNamespaces, "ml-inference"])] },
      rtoMinutes: 60,
      rpoMinutes: 360,
      steps: [
        verifyBackup,
        probe("Record golden model answers", "record"),
        { name: "Stop serving on the primary", type: "inject_failure", failure: { kind: "scale_to_zero", deployment: server, namespace: "ml-inference" }, timeoutSeconds: 300 },
        {
          name: "Create new EKS cluster",
          type: "manual",
          instruction: "Create the replacement cluster with Terraform from the platform repository and register it in the portal, then confirm here.",
          command: "terraform apply -target=module.eks",
          timeoutSeconds: 1800,
          rollback: { type: "manual", instruction: "Destroy the half-created cluster before retrying.", command: "terraform destroy -target=module.eks" },
        },
        { name: "Install cluster add-ons", type: "manual", instruction: "Install the cluster add-ons (Velero pointing at the same bucket, Karpenter, KEDA, device plugin) with Helm, then confirm.", command: "helm upgrade --install -f values.yaml", timeoutSeconds: 600 },
        { name: "Restore from Velero backup", type: "create_restore", backupFrom: "latest-verified", includedNamespaces: [...new Set([...clusterNamespaces, "ml-inference"])], existingResourcePolicy: "update", timeoutSeconds: 1800, ...recovery },
        pods(recovery),
        probe("Verify model predictions", "verify", recovery),
        { name: "Run smoke tests", type: "manual", instruction: "Run the smoke test suite against the restored cluster and confirm it passed.", command: "pytest tests/smoke/ -v", timeoutSeconds: 600 },
        { name: "Bring the primary back", type: "roll_forward", deployment: server, namespace: "ml-inference", always: true, timeoutSeconds: 300 },
      ],
    },
  };
}

/**
 * Template options for the demo's sandbox cluster (test-support/k8s-api-double/seed-demo-state.ts): its inference
 * Deployment and Service are llm-server on port 8000, its backups come from the daily-ml-inference schedule, its
 * model-cache volume takes the canary file, and it has only the ml-inference and ml-training namespaces.
 */
export function sandboxTemplateOptions(): TemplateOptions {
  return { modelServerDeployment: "llm-server", modelServerPort: 8000, backupSelector: "velero.io/schedule-name=daily-ml-inference", clusterNamespaces: ["ml-inference"], canaryVolumeClaim: "model-cache" };
}

/** The templates parsed (defaults filled in); throws if a template ever stops satisfying the plan schema. */
export function drTemplates(options: TemplateOptions = {}): DrPlan[] {
  return Object.values(drTemplateInputs(options)).map((t) => drPlanInput.parse(t));
}

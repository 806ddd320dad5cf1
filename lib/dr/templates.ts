// The reference design's three recovery plans as typed templates. Every shell command of the reference became
// either a Kubernetes API action or, when the work happens outside the cluster (Terraform, Helm, MLflow, Feast,
// test suites), a manual step that shows the command and waits for the operator: the portal never runs them.
import { drPlanInput, type DrPlan, type DrPlanInput } from "./schema";

export interface TemplateOptions {
  /** The model server's health URL as the portal can reach it (in-cluster DNS by default). */
  modelServerHealthUrl?: string;
  /** The feature-store health URL as the portal can reach it. */
  featureStoreHealthUrl?: string;
  /** The inference Deployment (and its app label) in ml-inference; "model-server" in the reference. */
  modelServerDeployment?: string;
  /** Label selector of the Velero Backups that are the recovery points. */
  backupSelector?: string;
}

const defaults = {
  modelServerHealthUrl: "http://model-server.ml-inference.svc.cluster.local:8080/health",
  featureStoreHealthUrl: "http://feast-feature-server.feast.svc.cluster.local:6566/health",
};

// The verify steps carry no maxAgeMinutes: the verdict compares the measured RPO with the target at the end, and
// failing at the first step would leave the RTO unmeasured.
export const templateKeys = ["cluster_failure", "model_corruption", "data_pipeline_failure"] as const;
export type TemplateKey = (typeof templateKeys)[number];

export function drTemplateInputs(options: TemplateOptions = {}): Record<TemplateKey, DrPlanInput> {
  const modelHealth = options.modelServerHealthUrl ?? defaults.modelServerHealthUrl;
  const featureHealth = options.featureStoreHealthUrl ?? defaults.featureStoreHealthUrl;
  const server = options.modelServerDeployment ?? "model-server";
  const backups = options.backupSelector ?? "app.kubernetes.io/part-of=ml-platform";
  return {
    cluster_failure: {
      key: "cluster_failure",
      name: "Full Cluster Recovery",
      description: "Rebuild the cluster, reinstall add-ons and restore the ML namespaces from the newest Velero backup.",
      scope: { clusterTargetId: null, namespaces: ["ml-training", "ml-inference", "mlflow", "feast"] },
      rtoMinutes: 60,
      rpoMinutes: 360,
      steps: [
        { name: "Verify backup availability", type: "verify_backup", selector: backups, timeoutSeconds: 60 },
        {
          name: "Create new EKS cluster",
          type: "manual",
          instruction: "Create the replacement cluster with Terraform from the platform repository, then confirm here.",
          command: "terraform apply -target=module.eks",
          timeoutSeconds: 1800,
          rollback: { type: "manual", instruction: "Destroy the half-created cluster before retrying.", command: "terraform destroy -target=module.eks" },
        },
        { name: "Install cluster add-ons", type: "manual", instruction: "Install the cluster add-ons (Velero, Karpenter, KEDA, device plugin) with Helm, then confirm.", command: "helm upgrade --install -f values.yaml", timeoutSeconds: 300 },
        {
          name: "Restore from Velero backup",
          type: "create_restore",
          backupFrom: "latest-verified",
          includedNamespaces: ["ml-training", "ml-inference", "mlflow", "feast"],
          timeoutSeconds: 600,
          validation: { type: "wait_pods_ready", namespace: "ml-inference", selector: `app=${server}`, timeoutSeconds: 300 },
        },
        { name: "Verify model serving", type: "http_health_check", url: modelHealth, timeoutSeconds: 60 },
        { name: "Run smoke tests", type: "manual", instruction: "Run the smoke test suite against the restored cluster and confirm it passed.", command: "pytest tests/smoke/ -v", timeoutSeconds: 300 },
      ],
    },
    model_corruption: {
      key: "model_corruption",
      name: "Model Artifact Recovery",
      description: "Roll the model server back to its previous revision and prove it serves again.",
      scope: { clusterTargetId: null, namespaces: ["ml-inference"] },
      rtoMinutes: 15,
      rpoMinutes: 60,
      steps: [
        { name: "Identify the newest backup (recovery point)", type: "verify_backup", selector: backups, timeoutSeconds: 30 },
        {
          name: "Identify last good model version",
          type: "manual",
          instruction: "Find the last model version with status READY in MLflow and confirm it is the one the previous revision serves.",
          command: "mlflow models list --filter 'status=READY'",
          timeoutSeconds: 600,
        },
        {
          name: "Rollback model deployment",
          type: "rollout_undo",
          deployment: server,
          namespace: "ml-inference",
          timeoutSeconds: 120,
          validation: { type: "wait_condition", apiVersion: "apps/v1", kind: "Deployment", name: server, namespace: "ml-inference", condition: "Available", timeoutSeconds: 120 },
        },
        { name: "Verify model predictions", type: "http_health_check", url: modelHealth, timeoutSeconds: 60 },
      ],
    },
    data_pipeline_failure: {
      key: "data_pipeline_failure",
      name: "Data Pipeline Recovery",
      description: "Check the pipeline, restore the feature store state and replay the failed data from the last checkpoint.",
      scope: { clusterTargetId: null, namespaces: ["ml-training", "feast"] },
      rtoMinutes: 30,
      rpoMinutes: 1440,
      steps: [
        { name: "Verify feature store backup", type: "verify_backup", selector: backups, timeoutSeconds: 30 },
        { name: "Check pipeline status", type: "manual", instruction: "Look at the pipeline workflows in ml-training and note the failed run.", command: "kubectl get workflows -n ml-training", timeoutSeconds: 300 },
        { name: "Restore feature store state", type: "manual", instruction: "Re-apply the feature store definitions, then confirm.", command: "feast apply --skip-source-validation", timeoutSeconds: 600 },
        { name: "Replay failed data", type: "manual", instruction: "Replay the pipeline from the last checkpoint and confirm it finished.", command: "python scripts/replay_data_pipeline.py --from-checkpoint", timeoutSeconds: 1800 },
        { name: "Verify feature serving", type: "http_health_check", url: featureHealth, timeoutSeconds: 60 },
      ],
    },
  };
}

/**
 * Template options for the demo's sandbox cluster (test-support/k8s-api-double/seed-demo-state.ts): its inference
 * Deployment is llm-server, its backups come from the daily-ml-inference schedule, and the portal's own health
 * endpoint stands in for the model server's (a cluster-internal URL is unreachable from the portal in the demo).
 */
export function sandboxTemplateOptions(portalBaseUrl: string): TemplateOptions {
  const health = `${portalBaseUrl.replace(/\/+$/, "")}/api/healthz`;
  return { modelServerHealthUrl: health, featureStoreHealthUrl: health, modelServerDeployment: "llm-server", backupSelector: "velero.io/schedule-name=daily-ml-inference" };
}

/** The templates parsed (defaults filled in); throws if a template ever stops satisfying the plan schema. */
export function drTemplates(options: TemplateOptions = {}): DrPlan[] {
  return Object.values(drTemplateInputs(options)).map((t) => drPlanInput.parse(t));
}

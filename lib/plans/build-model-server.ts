// The inference Deployment the ScaledObject targets, with the service account that carries the cloud's
// workload identity so the pod reaches the model store without static keys.
import type { KubernetesObject } from "@/lib/k8s/types";
import { modelServerMetricsArgs } from "@/lib/scaling/metric-definitions";
import {
  gcpServiceAccountId,
  labelsFor,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  schedulingFor,
  sharedStorageClass,
  writableHome,
  type PlanContext,
} from "./plan-context";
import type { PlanInput } from "./schema";

/** The claim the model server reads its models from; the model_corruption recovery restores it. */
export function modelsClaimName(ms: Pick<PlanInput["model_server"], "name">): string {
  return `${ms.name}-models`;
}

export function serviceAccountName(ctx: PlanContext, workload: string): string {
  return `${workload}-sa`;
}

/** Annotation that binds a Kubernetes service account to a cloud identity (IRSA, GKE and Azure Workload Identity). */
export function workloadIdentityAnnotations(ctx: PlanContext, workload: string): Record<string, string> {
  const { identity, cluster_name, cloud_provider } = ctx.input;
  switch (cloud_provider) {
    case "aws":
      return {
        "eks.amazonaws.com/role-arn": `arn:aws:iam::${identity.aws_account_id}:role/${cluster_name}-${workload}`,
      };
    case "gcp":
      return {
        "iam.gke.io/gcp-service-account": `${gcpServiceAccountId(workload)}@${identity.gcp_project_id}.iam.gserviceaccount.com`,
      };
    case "azure":
      return {
        "azure.workload.identity/client-id": identity.azure_client_id,
        "azure.workload.identity/tenant-id": identity.azure_tenant_id,
      };
    case "on_premise":
      return {};
  }
}

export function buildWorkloadServiceAccount(ctx: PlanContext, workload: string, namespace: string): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: serviceAccountName(ctx, workload),
      namespace,
      labels: labelsFor(ctx, workload),
      annotations: workloadIdentityAnnotations(ctx, workload),
    },
    automountServiceAccountToken: false,
  };
}

/** Azure Workload Identity injects the token only into pods carrying this label. */
export function identityPodLabels(ctx: PlanContext): Record<string, string> {
  return ctx.input.cloud_provider === "azure" ? { "azure.workload.identity/use": "true" } : {};
}

/**
 * Command, ports and probes of the chosen server, as its image runs it: Triton's tritonserver with its KServe v2
 * health endpoints and a separate metrics port; vLLM's OpenAI-compatible server (`vllm serve`), which answers
 * /health and serves /metrics on its API port. Both read the models from /models.
 */
export function modelServerContainer(ms: PlanInput["model_server"]) {
  const tmp = { name: "tmp", mountPath: "/tmp" };
  const models = { name: "models", mountPath: "/models", readOnly: true };
  const common = {
    name: "server",
    image: ms.image,
    env: writableHome.env,
    securityContext: restrictedContainerSecurityContext,
    volumeMounts: [models, tmp, writableHome.mount],
  };
  if (ms.server === "vllm") {
    return {
      ...common,
      command: ["vllm", "serve"],
      args: [
        "/models",
        `--served-model-name=${ms.model_name}`,
        "--host=0.0.0.0",
        `--port=${ms.port}`,
        `--tensor-parallel-size=${ms.gpus_per_replica}`,
        ...modelServerMetricsArgs("vllm"),
      ],
      ports: [{ name: "http", containerPort: ms.port, protocol: "TCP" }],
      readinessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 5, failureThreshold: 3 },
      livenessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, failureThreshold: 6 },
      // Loading weights into GPU memory takes minutes for large models: up to 20 before liveness applies.
      startupProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, failureThreshold: 120 },
    };
  }
  return {
    ...common,
    command: ["tritonserver"],
    args: [
      "--model-repository=/models",
      `--http-port=${ms.port}`,
      `--metrics-port=${ms.metrics_port}`,
      "--allow-grpc=false",
      // The series the ScaledObject's triggers read (Triton's latency histogram is opt-in).
      ...modelServerMetricsArgs("triton"),
    ],
    ports: [
      { name: "http", containerPort: ms.port, protocol: "TCP" },
      { name: "metrics", containerPort: ms.metrics_port, protocol: "TCP" },
    ],
    readinessProbe: { httpGet: { path: "/v2/health/ready", port: "http" }, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: "/v2/health/live", port: "http" }, periodSeconds: 10, failureThreshold: 6 },
    startupProbe: { httpGet: { path: "/v2/health/ready", port: "http" }, periodSeconds: 10, failureThreshold: 60 },
  };
}

/** The container port Prometheus scrapes: Triton's metrics port, vLLM's API port. */
export function metricsPortName(ms: PlanInput["model_server"]): string {
  return ms.server === "vllm" ? "http" : "metrics";
}

/** The URL a client in the same pod sends one inference request to. */
export function localInferenceUrl(ms: PlanInput["model_server"]): string {
  return ms.server === "vllm"
    ? `http://127.0.0.1:${ms.port}/v1/completions`
    : `http://127.0.0.1:${ms.port}/v2/models/${ms.model_name}/infer`;
}

export function buildModelServer(ctx: PlanContext): KubernetesObject[] {
  const { input } = ctx;
  const ms = input.model_server;
  const namespace = input.namespaces.inference;
  const selector = { "app.kubernetes.io/name": ms.name, "app.kubernetes.io/component": "model-server" };
  const gpus = String(ms.gpus_per_replica);
  const server = modelServerContainer(ms);
  return [
    buildWorkloadServiceAccount(ctx, ms.name, namespace),
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: modelsClaimName(ms), namespace, labels: labelsFor(ctx, ms.name) },
      spec: {
        accessModes: ["ReadWriteMany"],
        storageClassName: sharedStorageClass[input.cloud_provider],
        resources: { requests: { storage: "200Gi" } },
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: ms.name,
        namespace,
        labels: labelsFor(ctx, ms.name, { "app.kubernetes.io/component": "model-server" }),
      },
      spec: {
        // KEDA owns the replica count once the ScaledObject exists; this is the floor before it takes over.
        replicas: Math.max(1, input.scale_requirements.min_replicas),
        selector: { matchLabels: selector },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels: {
              ...labelsFor(ctx, ms.name, { "app.kubernetes.io/component": "model-server" }),
              ...identityPodLabels(ctx),
            },
          },
          spec: {
            serviceAccountName: serviceAccountName(ctx, ms.name),
            // IRSA and Azure Workload Identity inject their own projected token and GKE uses the metadata server,
            // so the Kubernetes API token is never needed.
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext,
            ...schedulingFor(ctx.input, ctx.workloadPool),
            containers: [
              {
                ...server,
                resources: {
                  requests: { cpu: ms.cpu, memory: ms.memory, "nvidia.com/gpu": gpus },
                  limits: { memory: ms.memory, "nvidia.com/gpu": gpus },
                },
              },
            ],
            volumes: [
              { name: "models", persistentVolumeClaim: { claimName: modelsClaimName(ms), readOnly: true } },
              { name: "tmp", emptyDir: { sizeLimit: "2Gi" } },
              writableHome.volume,
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: ms.name, namespace, labels: labelsFor(ctx, ms.name) },
      spec: {
        selector,
        ports: server.ports.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: "TCP" })),
      },
    },
  ];
}

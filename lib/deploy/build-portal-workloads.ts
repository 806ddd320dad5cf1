// The portal's processes, all from one image (see Dockerfile):
//   web:     ["node", "server.js"]   Next.js standalone server (.next/standalone/server.js copied to /app)
//   worker:  ["node", "worker.mjs"]  background job worker bundled to /app/worker.mjs
//   migrate: ["node", "migrate.mjs"] one-shot migration runner bundled to /app/migrate.mjs (never run by web start-up)
// Every pod meets the Pod Security "restricted" profile with a read-only root filesystem; writable paths are
// emptyDirs (/tmp everywhere, /app/.next/cache for Next's image and fetch cache).
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IHorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { PortalManifestOptions } from "./schema";
import { portalLabels, portalMeta, portalNames, portalSelector, type PortalComponent } from "./portal-labels";

export const webPort = 3000;
/** Key of METRICS_TOKEN in the portal's Secret: the web reads it, the web's ServiceMonitor sends it. */
export const metricsTokenKey = "METRICS_TOKEN";
export const portalUid = 10001;

export const processCommands = {
  web: ["node", "server.js"],
  worker: ["node", "worker.mjs"],
  migrate: ["node", "migrate.mjs"],
} as const;

const restrictedContainerContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
};

function secretEnv(options: PortalManifestOptions, names: string[], optional = false): NonNullable<IContainer["env"]> {
  return names.map((name) => ({ name, valueFrom: { secretKeyRef: { name: options.secretName, key: name, ...(optional ? { optional: true } : {}) } } }));
}

function podSpec(options: PortalManifestOptions, component: PortalComponent, container: IContainer, extra: Partial<IPodSpec> = {}): IPodSpec {
  const volumes: NonNullable<IPodSpec["volumes"]> = [{ name: "tmp", emptyDir: { sizeLimit: "256Mi" } }];
  const mounts: NonNullable<IContainer["volumeMounts"]> = [{ name: "tmp", mountPath: "/tmp" }];
  if (component === "web") {
    volumes.push({ name: "next-cache", emptyDir: { sizeLimit: "1Gi" } });
    mounts.push({ name: "next-cache", mountPath: "/app/.next/cache" });
  }
  return {
    serviceAccountName: portalNames(options).serviceAccount,
    // Only the worker talks to the Kubernetes API (applies run as background jobs); see the worker below.
    automountServiceAccountToken: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: portalUid,
      runAsGroup: portalUid,
      fsGroup: portalUid,
      seccompProfile: { type: "RuntimeDefault" },
    },
    containers: [{ ...container, securityContext: restrictedContainerContext, volumeMounts: mounts }],
    volumes,
    ...extra,
  };
}

function spreadAcrossNodes(options: PortalManifestOptions, component: PortalComponent): IPodSpec["topologySpreadConstraints"] {
  return [
    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: portalSelector(options, component) } },
    { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: portalSelector(options, component) } },
  ];
}

export function buildWebDeployment(options: PortalManifestOptions): IDeployment {
  const names = portalNames(options);
  const container: IContainer = {
    name: "web",
    image: options.image,
    command: [...processCommands.web],
    ports: [{ name: "http", containerPort: webPort, protocol: "TCP" }],
    envFrom: [{ configMapRef: { name: names.config } }],
    env: [
      { name: "PORTAL_PROCESS", value: "web" },
      // Next's standalone server binds to $HOSTNAME, which Kubernetes sets to the pod name.
      { name: "HOSTNAME", value: "0.0.0.0" },
      ...secretEnv(options, ["DATABASE_URL", "NEXTAUTH_SECRET"]),
      // The bearer token /metrics requires for the team-labelled ml_* series (the ServiceMonitor sends it).
      // Optional: without it the web still starts and serves only its own metrics.
      ...secretEnv(options, [metricsTokenKey], true),
    ],
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
    startupProbe: { httpGet: { path: "/api/healthz", port: "http" }, periodSeconds: 2, failureThreshold: 30 },
    livenessProbe: { httpGet: { path: "/api/healthz", port: "http" }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: "/api/readyz", port: "http" }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: portalMeta(options, names.web, "web"),
    spec: {
      // No replicas field: the HorizontalPodAutoscaler owns it, and re-applying must not reset it.
      revisionHistoryLimit: 5,
      selector: { matchLabels: portalSelector(options, "web") },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      template: {
        metadata: { labels: portalLabels(options, "web") },
        spec: podSpec(options, "web", container, { terminationGracePeriodSeconds: 30, topologySpreadConstraints: spreadAcrossNodes(options, "web") }),
      },
    },
  };
}

export function buildWorkerDeployment(options: PortalManifestOptions): IDeployment {
  const names = portalNames(options);
  const container: IContainer = {
    name: "worker",
    image: options.image,
    command: [...processCommands.worker],
    ports: [{ name: "metrics", containerPort: options.worker.metricsPort, protocol: "TCP" }],
    envFrom: [{ configMapRef: { name: names.config } }],
    env: [
      { name: "PORTAL_PROCESS", value: "worker" },
      { name: "WORKER_METRICS_PORT", value: String(options.worker.metricsPort) },
      // The metrics server binds 127.0.0.1 unless HOST says otherwise; the liveness probe and Prometheus come from outside the pod.
      { name: "HOST", value: "0.0.0.0" },
      // lib/config/env.ts requires NEXTAUTH_SECRET whenever NODE_ENV is production, in every process.
      ...secretEnv(options, ["DATABASE_URL", "NEXTAUTH_SECRET"]),
    ],
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
    livenessProbe: { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 },
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: portalMeta(options, names.worker, "worker"),
    spec: {
      replicas: options.worker.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: portalSelector(options, "worker") },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: portalLabels(options, "worker") },
        spec: podSpec(options, "worker", container, {
          // The worker applies plans to this cluster, so it (alone) mounts the service account token.
          automountServiceAccountToken: true,
          terminationGracePeriodSeconds: options.worker.terminationGracePeriodSeconds,
          topologySpreadConstraints: spreadAcrossNodes(options, "worker"),
        }),
      },
    },
  };
}

export function buildMigrationJob(options: PortalManifestOptions): IJob {
  const container: IContainer = {
    name: "migrate",
    image: options.image,
    command: [...processCommands.migrate],
    // Only the database URL: the migration entry point must not validate the web's settings.
    env: [{ name: "PORTAL_PROCESS", value: "migrate" }, { name: "LOG_LEVEL", value: options.logLevel }, ...secretEnv(options, ["DATABASE_URL"])],
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    // The version is in the name because a Job's template is immutable: a new release is a new Job.
    metadata: portalMeta(options, portalNames(options).migrate, "migrate"),
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: {
        metadata: { labels: portalLabels(options, "migrate") },
        spec: podSpec(options, "migrate", container, { restartPolicy: "Never" }),
      },
    },
  };
}

export function buildWebAutoscaler(options: PortalManifestOptions): IHorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: portalMeta(options, portalNames(options).web, "web"),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: portalNames(options).web },
      minReplicas: options.web.minReplicas,
      maxReplicas: options.web.maxReplicas,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: options.web.targetCpuUtilization } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 4, periodSeconds: 30 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
      },
    },
  };
}

export function buildDisruptionBudget(options: PortalManifestOptions, component: "web" | "worker"): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: portalMeta(options, portalNames(options)[component], component),
    spec: { maxUnavailable: 1, selector: { matchLabels: portalSelector(options, component) } },
  };
}

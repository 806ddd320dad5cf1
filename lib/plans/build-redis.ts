// The batch workers' queue: a single Redis the plan runs itself (StatefulSet, Service, NetworkPolicies) from the
// official image the workers already use, rather than the Bitnami chart, whose docker.io/bitnami images moved to
// bitnamilegacy in 2025 (bitnami/containers#83267). Its volume names a class the cluster has (redisStorageClass).
import type { KubernetesObject } from "@/lib/k8s/types";
import { redisConsumerImage, hostPort } from "./build-queue-workers";
import { buildNamespace } from "./build-namespaces";
import { buildDefaultDeny } from "./build-network-policies";
import {
  labelsFor,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  type PlanContext,
  utilityPlacement,
} from "./plan-context";
import type { PlanInput } from "./schema";
import { kedaNamespace } from "./viability/check-trigger-reach";

export const redisImage = redisConsumerImage;

export const defaultRedisHost = "redis-master.redis.svc";

/**
 * A ReadWriteOnce block-storage class each cloud's cluster has: on EKS the gp3 class the cluster Terraform creates
 * with the EBS CSI add-on (EKS 1.30+ marks no class default); GKE's and AKS's built-in disk classes; on premises the
 * plan's NFS class, the only one the checklist requires.
 */
export const redisStorageClass: Record<PlanInput["cloud_provider"], string> = {
  aws: "gp3",
  gcp: "standard-rwo",
  azure: "managed-csi",
  on_premise: "nfs-client",
};

export function usesDefaultRedis(ctx: PlanContext): boolean {
  return ctx.input.autoscaling.redis_address.split(":")[0] === defaultRedisHost;
}

/** Whether the plan installs Redis: batch workers read a queue at the default in-cluster address. */
export function installsRedis(ctx: PlanContext): boolean {
  const { input } = ctx;
  return (
    ["cluster_setup", "auto_scaling"].includes(input.infrastructure_task) &&
    input.workload_type === "batch" &&
    usesDefaultRedis(ctx)
  );
}

export function buildRedis(ctx: PlanContext): KubernetesObject[] {
  if (!installsRedis(ctx)) return [];
  const { input } = ctx;
  const { host, port, namespace } = hostPort(input.autoscaling.redis_address, 6379);
  const name = host.split(".")[0]!;
  const labels = labelsFor(ctx, name, { "app.kubernetes.io/component": "queue" });
  const selector = { "app.kubernetes.io/name": name };
  const fromNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
  return [
    buildNamespace(ctx, namespace),
    ...buildDefaultDeny(ctx, namespace),
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-redis-clients", namespace, labels: labelsFor(ctx, "network-policy") },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        // The workers pop the list; KEDA's operator reads its length to scale them.
        ingress: [
          {
            from: [fromNamespace(input.namespaces.batch), fromNamespace(kedaNamespace)],
            ports: [{ protocol: "TCP", port }],
          },
        ],
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace, labels },
      spec: { selector, ports: [{ name: "redis", port, targetPort: "redis", protocol: "TCP" }] },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name, namespace, labels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext,
            ...utilityPlacement(ctx),
            containers: [
              {
                name: "redis",
                image: redisImage,
                // The queue outlives restarts: append-only file on the claim. No password, as the workers and
                // KEDA's scaler connect without one; the NetworkPolicy admits only them.
                command: ["redis-server", "--port", String(port), "--dir", "/data", "--appendonly", "yes"],
                ports: [{ name: "redis", containerPort: port, protocol: "TCP" }],
                readinessProbe: { exec: { command: ["redis-cli", "-p", String(port), "ping"] }, periodSeconds: 10 },
                livenessProbe: {
                  tcpSocket: { port: "redis" },
                  initialDelaySeconds: 15,
                  periodSeconds: 20,
                },
                resources: {
                  requests: { cpu: "100m", memory: "256Mi" },
                  limits: { cpu: "1", memory: "1Gi" },
                },
                securityContext: restrictedContainerSecurityContext,
                volumeMounts: [{ name: "data", mountPath: "/data" }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data" },
            spec: {
              accessModes: ["ReadWriteOnce"],
              storageClassName: redisStorageClass[input.cloud_provider],
              resources: { requests: { storage: "20Gi" } },
            },
          },
        ],
      },
    },
  ];
}

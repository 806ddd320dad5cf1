// NetworkPolicies: default deny (ingress and egress) in every namespace the plan writes, then the allows each
// workload needs. Peers are selected by kubernetes.io/metadata.name, which every namespace carries; the
// reference's `name: monitoring` label exists only if someone adds it.
import type { KubernetesObject } from "@/lib/k8s/types";
import { hostPort } from "./build-queue-workers";
import { labelsFor, type PlanContext } from "./plan-context";
import type { WorkloadType } from "./schema";

const nsSelector = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });

function policy(ctx: PlanContext, namespace: string, name: string, spec: Record<string, unknown>): KubernetesObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: labelsFor(ctx, "network-policy") },
    spec,
  };
}

export function buildDefaultDeny(ctx: PlanContext, namespace: string): KubernetesObject[] {
  return [
    policy(ctx, namespace, "default-deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy(ctx, namespace, "allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
  ];
}

/**
 * What a workload identity needs under default deny: HTTPS to the cloud's token endpoint (STS, Entra ID), object
 * store and secret store, whose addresses are public and change (so an ipBlock, not a name); on GKE also the
 * metadata server, which hands out the tokens (169.254.169.254:80 and 169.254.169.252:988). Link-local addresses stay
 * closed elsewhere so pods cannot read the node's instance metadata credentials.
 */
export function buildCloudApiEgress(ctx: PlanContext, namespace: string): KubernetesObject[] {
  const cloud = ctx.input.cloud_provider;
  if (cloud === "on_premise") return [objectStoreEgress(ctx, namespace)];
  const egress: Record<string, unknown>[] = [
    { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] },
  ];
  // GKE's metadata server answers at 169.254.169.254:80 and, under Dataplane V2 (and Calico on newer nodes), is
  // reached at 169.254.169.252:988: both, so Workload Identity works whichever dataplane the cluster runs.
  if (cloud === "gcp") {
    egress.push(
      { to: [{ ipBlock: { cidr: "169.254.169.254/32" } }], ports: [{ protocol: "TCP", port: 80 }] },
      { to: [{ ipBlock: { cidr: "169.254.169.252/32" } }], ports: [{ protocol: "TCP", port: 988 }] },
    );
  }
  return [policy(ctx, namespace, "allow-egress-cloud-apis", { podSelector: {}, policyTypes: ["Egress"], egress })];
}

/**
 * On premises the object store (MinIO, Ceph RGW) is the workloads' only outside dependency besides the registry:
 * an in-cluster Service (host.namespace.svc) is allowed by namespace, anything else by its port to any address.
 */
function objectStoreEgress(ctx: PlanContext, namespace: string): KubernetesObject {
  const url = new URL(ctx.input.disaster_recovery.object_store_url);
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const parts = url.hostname.split(".");
  const inCluster = parts.length >= 3 && parts[2] === "svc";
  return policy(ctx, namespace, "allow-egress-object-store", {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      {
        to: [inCluster ? nsSelector(parts[1]!) : { ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }],
        ports: [{ protocol: "TCP", port }],
      },
    ],
  });
}

/** Kafka's namespace from a bootstrap address like kafka-bootstrap.kafka.svc:9092 (defaults to "kafka"). */
export function kafkaTarget(bootstrap: string): { namespace: string; port: number } {
  const [host = "", port] = bootstrap.split(",")[0]!.split(":");
  const parts = host.split(".");
  return { namespace: parts[1] ?? "kafka", port: Number(port) || 9092 };
}

/** The allows a workload needs on top of default deny; `workload` picks which. */
export function buildWorkloadAllows(ctx: PlanContext, workload: WorkloadType): KubernetesObject[] {
  const { input } = ctx;
  const ns = input.namespaces;
  const namespace = ns[workload];
  const registryAndStore = policy(ctx, namespace, "allow-egress-model-registry-feature-store", {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      { to: [nsSelector(ns.model_registry)], ports: [{ protocol: "TCP", port: 5000 }] },
      { to: [nsSelector(ns.feature_store)], ports: [{ protocol: "TCP", port: 6566 }] },
    ],
  });
  const scrape = (port: number) =>
    policy(ctx, namespace, "allow-ingress-monitoring", {
      podSelector: {},
      policyTypes: ["Ingress"],
      ingress: [{ from: [nsSelector(ns.monitoring)], ports: [{ protocol: "TCP", port }] }],
    });

  switch (workload) {
    case "inference": {
      const ms = input.model_server;
      const selector = { matchLabels: { "app.kubernetes.io/name": ms.name } };
      return [
        policy(ctx, namespace, "allow-ingress-controller", {
          podSelector: selector,
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  ...nsSelector(ns.ingress),
                  podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } },
                },
              ],
              ports: [{ protocol: "TCP", port: ms.port }],
            },
          ],
        }),
        scrape(ms.metrics_port),
        registryAndStore,
        ...buildCloudApiEgress(ctx, namespace),
      ];
    }
    case "training": {
      // Ranks talk to each other on the rendezvous port and on NCCL's ephemeral ports: allow the job's own pods.
      const selector = { matchLabels: { "app.kubernetes.io/name": input.training.job_name } };
      return [
        policy(ctx, namespace, "allow-training-peers", {
          podSelector: selector,
          policyTypes: ["Ingress", "Egress"],
          ingress: [{ from: [{ podSelector: selector }] }],
          egress: [{ to: [{ podSelector: selector }] }],
        }),
        registryAndStore,
        ...buildCloudApiEgress(ctx, namespace),
      ];
    }
    // Batch, training and streaming pods expose no metrics port (GPU metrics come from the node's DCGM exporter),
    // so there is nothing for monitoring to scrape in their namespaces.
    case "batch": {
      const redis = hostPort(input.autoscaling.redis_address, 6379);
      return [
        policy(ctx, namespace, "allow-egress-redis", {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [nsSelector(redis.namespace)], ports: [{ protocol: "TCP", port: redis.port }] }],
        }),
        registryAndStore,
        ...buildCloudApiEgress(ctx, namespace),
      ];
    }
    case "streaming": {
      const kafka = kafkaTarget(input.autoscaling.kafka_bootstrap_servers);
      return [
        policy(ctx, namespace, "allow-egress-kafka", {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [{ to: [nsSelector(kafka.namespace)], ports: [{ protocol: "TCP", port: kafka.port }] }],
        }),
        registryAndStore,
        ...buildCloudApiEgress(ctx, namespace),
      ];
    }
  }
}

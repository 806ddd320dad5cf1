// Services and NetworkPolicies of the portal's namespace: deny everything, then allow exactly what the
// processes use. Egress to PostgreSQL and to Kubernetes APIs is by port (to any address unless a CIDR is
// given) because managed databases and API servers live outside the cluster at addresses that change;
// 443 also carries OIDC sign-in and cloud APIs (AWS Cost Explorer).
import type { IService } from "kubernetes-models/v1/Service";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { PortalManifestOptions } from "./schema";
import { portalMeta, portalNames, portalSelector } from "./portal-labels";
import { webPort } from "./build-portal-workloads";

export function buildWebService(options: PortalManifestOptions): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: portalMeta(options, portalNames(options).web, "web"),
    spec: { type: "ClusterIP", selector: portalSelector(options, "web"), ports: [{ name: "http", port: webPort, targetPort: "http", protocol: "TCP" }] },
  };
}

/** Headless: only so that a ServiceMonitor can find the workers' metrics endpoints. */
export function buildWorkerMetricsService(options: PortalManifestOptions): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: portalMeta(options, portalNames(options).workerMetrics, "worker"),
    spec: { clusterIP: "None", selector: portalSelector(options, "worker"), ports: [{ name: "metrics", port: options.worker.metricsPort, targetPort: "metrics", protocol: "TCP" }] },
  };
}

const namespaceSelector = (name: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } } });
const componentsSelector = (options: PortalManifestOptions, components: string[]) => ({
  matchLabels: { "app.kubernetes.io/name": options.name },
  matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: components }],
});

function policy(options: PortalManifestOptions, name: string, spec: INetworkPolicy["spec"]): INetworkPolicy {
  return { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: portalMeta(options, `${options.name}-${name}`, "network-policy"), spec };
}

export function buildNetworkPolicies(options: PortalManifestOptions): INetworkPolicy[] {
  const postgresPeer = options.postgres.cidr ? { to: [{ ipBlock: { cidr: options.postgres.cidr } }] } : {};
  return [
    policy(options, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy(options, "allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ...namespaceSelector("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] }],
    }),
    policy(options, "web-ingress", {
      podSelector: { matchLabels: portalSelector(options, "web") },
      policyTypes: ["Ingress"],
      // The ingress controller serves users; Prometheus scrapes /metrics on the same port.
      ingress: [{ from: [namespaceSelector(options.ingressNamespace), namespaceSelector(options.monitoringNamespace)], ports: [{ protocol: "TCP", port: webPort }] }],
    }),
    policy(options, "worker-metrics-ingress", {
      podSelector: { matchLabels: portalSelector(options, "worker") },
      policyTypes: ["Ingress"],
      ingress: [{ from: [namespaceSelector(options.monitoringNamespace)], ports: [{ protocol: "TCP", port: options.worker.metricsPort }] }],
    }),
    policy(options, "postgres-egress", {
      podSelector: componentsSelector(options, ["web", "worker", "migrate"]),
      policyTypes: ["Egress"],
      egress: [{ ...postgresPeer, ports: [{ protocol: "TCP", port: options.postgres.port }] }],
    }),
    policy(options, "https-and-kubernetes-api-egress", {
      podSelector: componentsSelector(options, ["web", "worker"]),
      policyTypes: ["Egress"],
      egress: [{ ports: options.kubernetesApiPorts.map((port) => ({ protocol: "TCP", port })) }],
    }),
  ];
}

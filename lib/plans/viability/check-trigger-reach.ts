// KEDA's operator reads every trigger's target (Redis, Kafka, Prometheus) from its own namespace: a NetworkPolicy
// in the target's namespace that selects the target pods and admits neither that namespace nor everyone drops the
// poll, the scaler errors and the workload never moves.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import { refName } from "./pods";

/** Where KEDA's Helm chart installs its operator, and the labels its pods carry. */
export const kedaNamespace = "keda";
const kedaPodLabels: Record<string, string> = { app: "keda-operator", "app.kubernetes.io/name": "keda-operator" };

const targetKeys: Record<string, string> = {
  redis: "address",
  kafka: "bootstrapServers",
  prometheus: "serverAddress",
};

interface Target {
  service: string;
  namespace: string;
  port: number;
}

/** name.namespace.svc[...]:port (the first of a comma-separated list; a URL's scheme and path are dropped). */
function parseTarget(address: string): Target | undefined {
  const hostPort = address
    .split(",")[0]!
    .replace(/^[a-z]+:\/\//, "")
    .split("/")[0]!;
  const [host = "", port] = hostPort.split(":");
  const parts = host.split(".");
  if (parts.length < 3 || parts[2] !== "svc") return undefined;
  const scheme = address.startsWith("https://") ? 443 : 80;
  return { service: parts[0]!, namespace: parts[1]!, port: Number(port) || scheme };
}

const matches = (selector: Record<string, unknown> | undefined, labels: Record<string, string>) =>
  Object.entries(asRecord(selector?.matchLabels) ?? {}).every(([k, v]) => labels[k] === v) &&
  asArray(selector?.matchExpressions).length === 0;

function namespaceLabels(objects: readonly KubernetesObject[], name: string): Record<string, string> {
  const ns = objects.find((o) => o.kind === "Namespace" && o.metadata.name === name);
  return { ...(ns?.metadata.labels ?? {}), "kubernetes.io/metadata.name": name };
}

/** Whether a peer (an ingress `from` entry) admits KEDA's operator pods. */
function admitsKeda(peer: Record<string, unknown>, objects: readonly KubernetesObject[], policyNs: string): boolean {
  if (peer.ipBlock) return false;
  const nsSelector = asRecord(peer.namespaceSelector);
  const podSelector = asRecord(peer.podSelector);
  // A podSelector alone selects pods of the policy's own namespace.
  const nsOk = nsSelector ? matches(nsSelector, namespaceLabels(objects, kedaNamespace)) : policyNs === kedaNamespace;
  return nsOk && (!podSelector || matches(podSelector, kedaPodLabels));
}

function admitsPort(rule: Record<string, unknown>, port: number, targetPort: unknown): boolean {
  const ports = asArray(rule.ports).map((p) => asRecord(p) ?? {});
  return ports.length === 0 || ports.some((p) => p.port === undefined || p.port === port || p.port === targetPort);
}

export function checkTriggerReach(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  for (const scaler of objects.filter((o) => o.kind === "ScaledJob" || o.kind === "ScaledObject")) {
    asArray(asRecord(scaler.spec)?.triggers).forEach((t, i) => {
      const trigger = asRecord(t) ?? {};
      const key = targetKeys[String(trigger.type)];
      if (!key) return;
      const address = String(asRecord(trigger.metadata)?.[key] ?? "");
      const target = parseTarget(address);
      if (!target) return;
      const service = objects.find(
        (o) => o.kind === "Service" && o.metadata.name === target.service && o.metadata.namespace === target.namespace,
      );
      const servicePort = asArray(asRecord(service?.spec)?.ports)
        .map((p) => asRecord(p) ?? {})
        .find((p) => p.port === target.port);
      const podLabels = asRecord(asRecord(service?.spec)?.selector) as Record<string, string> | undefined;
      // Policies that isolate the target's pods for ingress; without the Service, any policy of its namespace may.
      const isolating = objects.filter((o) => {
        if (o.kind !== "NetworkPolicy" || o.metadata.namespace !== target.namespace) return false;
        const spec = asRecord(o.spec) ?? {};
        const types = asArray(spec.policyTypes);
        const ingress = types.length === 0 || types.includes("Ingress");
        return ingress && (!podLabels || matches(asRecord(spec.podSelector), podLabels));
      });
      if (isolating.length === 0) return;
      const admitted = isolating.some((policy) =>
        asArray(asRecord(policy.spec)?.ingress)
          .map((r) => asRecord(r) ?? {})
          .some((rule) => {
            const from = asArray(rule.from).map((p) => asRecord(p) ?? {});
            const peerOk = from.length === 0 || from.some((p) => admitsKeda(p, objects, target.namespace));
            return peerOk && admitsPort(rule, target.port, servicePort?.targetPort);
          }),
      );
      if (admitted) return;
      findings.push(
        viabilityFinding(
          "viability.trigger-unreachable",
          scaler,
          `spec.triggers[${i}].metadata.${key}`,
          `${refName(scaler)} reads ${address}, but the NetworkPolicies of namespace ${target.namespace} (${isolating.map((p) => p.metadata.name).join(", ")}) admit no traffic from KEDA's operator in namespace ${kedaNamespace} on port ${target.port}.`,
          `Add an ingress rule admitting namespaceSelector kubernetes.io/metadata.name: ${kedaNamespace} on port ${target.port} to the policy selecting ${target.service}.`,
        ),
      );
    });
  }
  return findings;
}

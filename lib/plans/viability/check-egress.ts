// Default-deny egress still lets a pod that carries a cloud identity reach what that identity is for: the token
// endpoint (STS, Entra ID: HTTPS; GKE: the metadata server at 169.254.169.254:80 and, under Dataplane V2 or
// Calico, 169.254.169.252:988), the object store and the secret store.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { defaultDenies } from "@/lib/security/check-network-policies";
import { asArray, asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import { listPods, refName, type PodFacts } from "./pods";

const metadataServer = "169.254.169.254";
const metadataServerDataplane = "169.254.169.252";

function identityOf(pod: PodFacts, objects: readonly KubernetesObject[]): "aws" | "gcp" | "azure" | undefined {
  const account = objects.find(
    (o) =>
      o.kind === "ServiceAccount" &&
      o.metadata.name === pod.serviceAccount &&
      (o.metadata.namespace ?? "") === pod.namespace,
  );
  const annotations = account?.metadata.annotations ?? {};
  if (annotations["eks.amazonaws.com/role-arn"]) return "aws";
  if (annotations["iam.gke.io/gcp-service-account"]) return "gcp";
  if (annotations["azure.workload.identity/client-id"] || pod.labels["azure.workload.identity/use"] === "true")
    return "azure";
  return undefined;
}

function selects(policy: KubernetesObject, pod: PodFacts): boolean {
  const selector = asRecord(asRecord(policy.spec)?.podSelector) ?? {};
  if (asArray(selector.matchExpressions).length > 0) return false;
  return Object.entries(asRecord(selector.matchLabels) ?? {}).every(([k, v]) => pod.labels[k] === v);
}

function ipv4(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split("/");
  if (!base || base.includes(":")) return false;
  const size = 2 ** (32 - Number(bits ?? 32));
  const start = Math.floor(ipv4(base) / size) * size;
  return ipv4(ip) >= start && ipv4(ip) < start + size;
}

/** Whether one egress rule lets traffic out to an address outside the cluster (an IP, if given) on a port. */
function ruleAllows(rule: Record<string, unknown>, port: number, ip?: string): boolean {
  const ports = asArray(rule.ports).map((p) => asRecord(p) ?? {});
  if (ports.length > 0 && !ports.some((p) => p.port === undefined || Number(p.port) === port)) return false;
  const to = asArray(rule.to).map((t) => asRecord(t) ?? {});
  if (to.length === 0) return true;
  return to.some((peer) => {
    const block = asRecord(peer.ipBlock);
    if (!block) return false;
    if (!ip) return true;
    return cidrContains(String(block.cidr), ip) && !asArray(block.except).some((e) => cidrContains(String(e), ip));
  });
}

export function checkEgress(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const policies = objects.filter((o) => o.kind === "NetworkPolicy");
  const findings: SecurityFinding[] = [];
  for (const pod of listPods(objects)) {
    const identity = identityOf(pod, objects);
    if (!identity) continue;
    const mine = policies.filter((p) => (p.metadata.namespace ?? "") === pod.namespace);
    if (!mine.some((p) => defaultDenies(p).egress)) continue;
    const rules = mine
      .filter((p) => selects(p, pod) && asArray(asRecord(p.spec)?.policyTypes).includes("Egress"))
      .flatMap((p) => asArray(asRecord(p.spec)?.egress).map((r) => asRecord(r) ?? {}));
    const missing: string[] = [];
    if (!rules.some((r) => ruleAllows(r, 443)))
      missing.push(
        `HTTPS (TCP 443) to ${identity === "aws" ? "STS, S3 and Secrets Manager" : identity === "gcp" ? "Cloud Storage and Secret Manager" : "Entra ID, Blob Storage and Key Vault"}`,
      );
    if (identity === "gcp" && !rules.some((r) => ruleAllows(r, 80, metadataServer)))
      missing.push(`the GKE metadata server (${metadataServer}/32, TCP 80)`);
    if (identity === "gcp" && !rules.some((r) => ruleAllows(r, 988, metadataServerDataplane)))
      missing.push(`the GKE metadata server under Dataplane V2 and Calico (${metadataServerDataplane}/32, TCP 988)`);
    if (missing.length === 0) continue;
    findings.push(
      viabilityFinding(
        "viability.egress-blocks-identity",
        pod.object,
        `${pod.location.path}.serviceAccountName`,
        `${refName(pod.object)} uses ServiceAccount ${pod.namespace}/${pod.serviceAccount} with a ${identity.toUpperCase()} workload identity, but the egress policies of namespace ${pod.namespace} deny ${missing.join(" and ")}.`,
        `Add a NetworkPolicy in ${pod.namespace} allowing egress to ${missing.join(" and ")} (an ipBlock 0.0.0.0/0 except 169.254.0.0/16 on port 443${identity === "gcp" ? `, ${metadataServer}/32 on port 80 and ${metadataServerDataplane}/32 on port 988` : ""}).`,
      ),
    );
  }
  return findings;
}

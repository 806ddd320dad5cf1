// Namespaces (as far as this set of objects shows them) that have no default-deny NetworkPolicy, and egress rules
// that open every address.
// A namespace counts when the set declares it (a Namespace object) or runs pods in it; objects without
// metadata.namespace are grouped together, because they land in whatever namespace they are applied to.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { asArray, asRecord, findPodSpec } from "./pod-specs";

interface NamespaceState {
  subject: KubernetesObject;
  denyIngress: boolean;
  denyEgress: boolean;
}

function selectsAllPods(podSelector: unknown): boolean {
  const selector = asRecord(podSelector);
  if (!selector) return podSelector === undefined;
  return (
    asArray(selector.matchExpressions).length === 0 && Object.keys(asRecord(selector.matchLabels) ?? {}).length === 0
  );
}

export function defaultDenies(policy: KubernetesObject): { ingress: boolean; egress: boolean } {
  const spec = asRecord(policy.spec) ?? {};
  if (!selectsAllPods(spec.podSelector)) return { ingress: false, egress: false };
  const declared = asArray(spec.policyTypes);
  // Without policyTypes, Ingress is always implied and Egress only when egress rules exist (then it is no deny).
  const types = declared.length > 0 ? declared : ["Ingress"];
  return {
    ingress: types.includes("Ingress") && asArray(spec.ingress).length === 0,
    egress: types.includes("Egress") && asArray(spec.egress).length === 0,
  };
}

/** A CIDR of prefix length 0 (0.0.0.0/0, ::/0): every address. */
function everyAddress(cidr: unknown): boolean {
  return typeof cidr === "string" && /\/0$/.test(cidr.trim());
}

function portsText(rule: Record<string, unknown>): string {
  const ports = asArray(rule.ports).map((p) => asRecord(p) ?? {});
  if (ports.length === 0) return "on every port";
  return `on ${ports.map((p) => `${String(p.protocol ?? "TCP")} ${p.port === undefined ? "(any port)" : String(p.port)}`).join(", ")}`;
}

/** Egress rules that reach every address: an ipBlock of a /0, or no destination at all (which means anywhere). */
function egressToAnyAddress(policy: KubernetesObject): SecurityFinding[] {
  const spec = asRecord(policy.spec) ?? {};
  const findings: SecurityFinding[] = [];
  asArray(spec.egress).forEach((entry, i) => {
    const rule = asRecord(entry) ?? {};
    const peers = asArray(rule.to).map((t) => asRecord(t) ?? {});
    if (peers.length === 0) {
      findings.push(
        makeFinding(
          "netpol.egress-to-any-address",
          policy,
          `spec.egress[${i}]`,
          `NetworkPolicy ${policy.metadata.name} allows egress to any destination ${portsText(rule)} (the rule names no peer).`,
        ),
      );
      return;
    }
    peers.forEach((peer, j) => {
      const block = asRecord(peer.ipBlock);
      if (!block || !everyAddress(block.cidr)) return;
      const except = asArray(block.except).map(String);
      findings.push(
        makeFinding(
          "netpol.egress-to-any-address",
          policy,
          `spec.egress[${i}].to[${j}].ipBlock.cidr`,
          `NetworkPolicy ${policy.metadata.name} allows egress to ${String(block.cidr)}${except.length > 0 ? ` except ${except.join(", ")}` : ""} ${portsText(rule)}.`,
        ),
      );
    });
  });
  return findings;
}

export function checkNetworkPolicies(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const namespaces = new Map<string, NamespaceState>();
  const note = (key: string, subject: KubernetesObject, preferred: boolean) => {
    const existing = namespaces.get(key);
    if (!existing) namespaces.set(key, { subject, denyIngress: false, denyEgress: false });
    else if (preferred && existing.subject.kind !== "Namespace") existing.subject = subject;
  };
  for (const object of objects) {
    if (object.kind === "Namespace") note(object.metadata.name, object, true);
    else if (findPodSpec(object)) note(object.metadata.namespace ?? "", object, false);
  }
  for (const object of objects) {
    if (object.kind !== "NetworkPolicy") continue;
    const state = namespaces.get(object.metadata.namespace ?? "");
    if (!state) continue;
    const denies = defaultDenies(object);
    state.denyIngress ||= denies.ingress;
    state.denyEgress ||= denies.egress;
  }

  const findings: SecurityFinding[] = objects.filter((o) => o.kind === "NetworkPolicy").flatMap(egressToAnyAddress);
  for (const [key, state] of namespaces) {
    const isNamespaceObject = state.subject.kind === "Namespace";
    const path = isNamespaceObject ? "metadata.name" : "metadata.namespace";
    const label =
      key === "" ? "the namespace these manifests are applied to (no metadata.namespace)" : `namespace ${key}`;
    if (!state.denyIngress) {
      findings.push(
        makeFinding(
          "netpol.no-default-deny-ingress",
          state.subject,
          path,
          `No NetworkPolicy in this set denies ingress by default in ${label}.`,
        ),
      );
    }
    if (!state.denyEgress) {
      findings.push(
        makeFinding(
          "netpol.no-default-deny-egress",
          state.subject,
          path,
          `No NetworkPolicy in this set denies egress by default in ${label}.`,
        ),
      );
    }
  }
  return findings;
}

// RBAC: rules that grant more than they name, verbs that grant more permissions, and bindings to admin roles.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { asArray, asRecord, describeValue } from "./pod-specs";

const escalationVerbs = new Set(["escalate", "bind", "impersonate"]);
const readVerbs = new Set(["get", "list", "watch", "*"]);
const everyoneGroups = new Set(["system:anonymous", "system:unauthenticated", "system:authenticated"]);

function strings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === "string");
}

function isFullWildcard(rule: Record<string, unknown>): boolean {
  return strings(rule.apiGroups).includes("*") && strings(rule.resources).includes("*") && strings(rule.verbs).includes("*");
}

/** Names of roles in this set that amount to admin (a `*` on `*` rule), keyed "ClusterRole/name" or "Role/ns/name". */
function adminRoleKeys(objects: readonly KubernetesObject[]): Set<string> {
  const keys = new Set<string>(["ClusterRole/cluster-admin"]);
  for (const object of objects) {
    if (object.kind !== "ClusterRole" && object.kind !== "Role") continue;
    if (asArray(object.rules).some((rule) => isFullWildcard(asRecord(rule) ?? {}))) {
      keys.add(object.kind === "ClusterRole" ? `ClusterRole/${object.metadata.name}` : `Role/${object.metadata.namespace ?? ""}/${object.metadata.name}`);
    }
  }
  return keys;
}

export function checkRbac(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const adminRoles = adminRoleKeys(objects);
  for (const object of objects) {
    if (object.kind === "ClusterRole" || object.kind === "Role") findings.push(...checkRole(object));
    if (object.kind === "ClusterRoleBinding" || object.kind === "RoleBinding") findings.push(...checkBinding(object, adminRoles));
  }
  return findings;
}

function checkRole(role: KubernetesObject): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const clusterWide = role.kind === "ClusterRole";
  asArray(role.rules).forEach((item, index) => {
    const rule = asRecord(item);
    if (!rule) return;
    const path = `rules[${index}]`;
    if (isFullWildcard(rule)) {
      const scope = clusterWide ? "everything in the cluster (cluster-admin)" : `everything in namespace ${role.metadata.namespace ?? "(unset)"}`;
      findings.push(makeFinding("rbac.wildcard-all", role, path, `Rule ${index} grants * verbs on * resources in * API groups: ${scope}.`, clusterWide ? "critical" : "high"));
      return;
    }
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    const apiGroups = strings(rule.apiGroups);
    verbs.forEach((verb, verbIndex) => {
      if (verb === "*") findings.push(makeFinding("rbac.wildcard-verbs", role, `${path}.verbs[${verbIndex}]`, `Rule ${index} grants every verb on ${resources.join(", ") || "(no resources)"}.`));
      if (escalationVerbs.has(verb)) findings.push(makeFinding("rbac.privilege-escalation-verbs", role, `${path}.verbs[${verbIndex}]`, `Rule ${index} grants ${verb} on ${resources.join(", ") || "(no resources)"}.`));
    });
    resources.forEach((resource, resourceIndex) => {
      if (resource === "*") findings.push(makeFinding("rbac.wildcard-resources", role, `${path}.resources[${resourceIndex}]`, `Rule ${index} grants ${verbs.join(", ")} on every resource in ${apiGroups.map((g) => g || '""').join(", ")}.`));
    });
    apiGroups.forEach((group, groupIndex) => {
      if (group === "*") findings.push(makeFinding("rbac.wildcard-api-groups", role, `${path}.apiGroups[${groupIndex}]`, `Rule ${index} applies to every API group.`));
    });
    const coversCoreGroup = apiGroups.includes("") || apiGroups.includes("*");
    const readsSecrets = verbs.some((verb) => readVerbs.has(verb));
    const secretsIndex = resources.findIndex((resource) => resource === "secrets" || resource === "*");
    const scopedByName = strings(rule.resourceNames).length > 0;
    if (clusterWide && coversCoreGroup && readsSecrets && secretsIndex >= 0 && !scopedByName) {
      findings.push(makeFinding("rbac.secrets-read-cluster-wide", role, `${path}.resources[${secretsIndex}]`, `Rule ${index} lets ${role.metadata.name} ${verbs.filter((v) => readVerbs.has(v)).join("/")} secrets in every namespace.`));
    }
  });
  return findings;
}

function checkBinding(binding: KubernetesObject, adminRoles: Set<string>): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const roleRef = asRecord(binding.roleRef);
  if (roleRef && typeof roleRef.name === "string") {
    const key = roleRef.kind === "ClusterRole" ? `ClusterRole/${roleRef.name}` : `Role/${binding.metadata.namespace ?? ""}/${roleRef.name}`;
    if (adminRoles.has(key)) {
      const scope = binding.kind === "ClusterRoleBinding" ? "the whole cluster" : `namespace ${binding.metadata.namespace ?? "(unset)"}`;
      findings.push(makeFinding("rbac.cluster-admin-binding", binding, "roleRef.name", `${binding.kind} ${binding.metadata.name} grants ${roleRef.name} (full access) over ${scope}.`, binding.kind === "ClusterRoleBinding" ? "critical" : "high"));
    }
  }
  asArray(binding.subjects).forEach((item, index) => {
    const subject = asRecord(item);
    if (subject?.kind === "Group" && typeof subject.name === "string" && everyoneGroups.has(subject.name)) {
      findings.push(makeFinding("rbac.binding-to-all-users", binding, `subjects[${index}].name`, `${binding.kind} ${binding.metadata.name} binds ${describeValue(roleRef?.name)} to ${subject.name}.`));
    }
  });
  return findings;
}

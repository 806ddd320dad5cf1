// RBAC: rules that grant more than they name, verbs that grant more permissions, and bindings to admin roles.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import { asArray, asRecord, describeValue } from "./pod-specs";

const escalationVerbs = new Set(["escalate", "bind", "impersonate"]);
const readVerbs = new Set(["get", "list", "watch", "*"]);
const everyoneGroups = new Set(["system:anonymous", "system:unauthenticated", "system:authenticated"]);
// Kinds that run pods, by API group: creating any of them is creating a pod.
const workloadResources: Record<string, string[]> = {
  "": ["pods", "replicationcontrollers"],
  apps: ["deployments", "statefulsets", "daemonsets", "replicasets"],
  batch: ["jobs", "cronjobs"],
};
const createVerbs = new Set(["create", "*"]);

function strings(value: unknown): string[] {
  return asArray(value).filter((item): item is string => typeof item === "string");
}

function isFullWildcard(rule: Record<string, unknown>): boolean {
  return (
    strings(rule.apiGroups).includes("*") && strings(rule.resources).includes("*") && strings(rule.verbs).includes("*")
  );
}

/** Names of roles in this set that amount to admin (a `*` on `*` rule), keyed "ClusterRole/name" or "Role/ns/name". */
function adminRoleKeys(objects: readonly KubernetesObject[]): Set<string> {
  const keys = new Set<string>(["ClusterRole/cluster-admin"]);
  for (const object of objects) {
    if (object.kind !== "ClusterRole" && object.kind !== "Role") continue;
    if (asArray(object.rules).some((rule) => isFullWildcard(asRecord(rule) ?? {}))) {
      keys.add(
        object.kind === "ClusterRole"
          ? `ClusterRole/${object.metadata.name}`
          : `Role/${object.metadata.namespace ?? ""}/${object.metadata.name}`,
      );
    }
  }
  return keys;
}

export function checkRbac(objects: readonly KubernetesObject[]): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const adminRoles = adminRoleKeys(objects);
  const clusterBound = new Set(
    objects.filter((o) => o.kind === "ClusterRoleBinding").map((o) => String(asRecord(o.roleRef)?.name ?? "")),
  );
  for (const object of objects) {
    if (object.kind === "ClusterRole" || object.kind === "Role")
      findings.push(...checkRole(object), ...checkWorkloadCreation(object, clusterBound));
    if (object.kind === "ClusterRoleBinding" || object.kind === "RoleBinding")
      findings.push(...checkBinding(object, adminRoles));
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
      const scope = clusterWide
        ? "everything in the cluster (cluster-admin)"
        : `everything in namespace ${role.metadata.namespace ?? "(unset)"}`;
      findings.push(
        makeFinding(
          "rbac.wildcard-all",
          role,
          path,
          `Rule ${index} grants * verbs on * resources in * API groups: ${scope}.`,
          clusterWide ? "critical" : "high",
        ),
      );
      return;
    }
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    const apiGroups = strings(rule.apiGroups);
    verbs.forEach((verb, verbIndex) => {
      if (verb === "*")
        findings.push(
          makeFinding(
            "rbac.wildcard-verbs",
            role,
            `${path}.verbs[${verbIndex}]`,
            `Rule ${index} grants every verb on ${resources.join(", ") || "(no resources)"}.`,
          ),
        );
      if (escalationVerbs.has(verb))
        findings.push(
          makeFinding(
            "rbac.privilege-escalation-verbs",
            role,
            `${path}.verbs[${verbIndex}]`,
            `Rule ${index} grants ${verb} on ${resources.join(", ") || "(no resources)"}.`,
          ),
        );
    });
    resources.forEach((resource, resourceIndex) => {
      if (resource === "*")
        findings.push(
          makeFinding(
            "rbac.wildcard-resources",
            role,
            `${path}.resources[${resourceIndex}]`,
            `Rule ${index} grants ${verbs.join(", ")} on every resource in ${apiGroups.map((g) => g || '""').join(", ")}.`,
          ),
        );
    });
    apiGroups.forEach((group, groupIndex) => {
      if (group === "*")
        findings.push(
          makeFinding(
            "rbac.wildcard-api-groups",
            role,
            `${path}.apiGroups[${groupIndex}]`,
            `Rule ${index} applies to every API group.`,
          ),
        );
    });
    const coversCoreGroup = apiGroups.includes("") || apiGroups.includes("*");
    const readsSecrets = verbs.some((verb) => readVerbs.has(verb));
    const secretsIndex = resources.findIndex((resource) => resource === "secrets" || resource === "*");
    const scopedByName = strings(rule.resourceNames).length > 0;
    if (clusterWide && coversCoreGroup && readsSecrets && secretsIndex >= 0 && !scopedByName) {
      findings.push(
        makeFinding(
          "rbac.secrets-read-cluster-wide",
          role,
          `${path}.resources[${secretsIndex}]`,
          `Rule ${index} lets ${role.metadata.name} ${verbs.filter((v) => readVerbs.has(v)).join("/")} secrets in every namespace.`,
        ),
      );
    }
  });
  return findings;
}

/** Privilege escalation through workloads: create on pod-making kinds, and exec/attach into running pods. */
function checkWorkloadCreation(role: KubernetesObject, clusterBound: Set<string>): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  // A ClusterRole bound cluster-wide reaches every namespace's Secrets and service accounts.
  const severity = role.kind === "ClusterRole" && clusterBound.has(role.metadata.name) ? "high" : "medium";
  const scope =
    severity === "high"
      ? "every namespace"
      : role.kind === "Role"
        ? `namespace ${role.metadata.namespace ?? "(unset)"}`
        : "each namespace it is bound in";
  asArray(role.rules).forEach((item, index) => {
    const rule = asRecord(item);
    if (!rule || isFullWildcard(rule)) return;
    const verbs = strings(rule.verbs);
    const resources = strings(rule.resources);
    const groups = strings(rule.apiGroups);
    const creatable = groups
      .flatMap((g) => (g === "*" ? Object.values(workloadResources).flat() : (workloadResources[g] ?? [])))
      .filter((r) => resources.includes(r) || resources.includes("*"));
    if (verbs.some((v) => createVerbs.has(v)) && creatable.length > 0) {
      findings.push(
        makeFinding(
          "rbac.workload-creation",
          role,
          `rules[${index}].verbs`,
          `Rule ${index} lets ${role.metadata.name} create ${[...new Set(creatable)].join(", ")}: it can use any Secret and service account in ${scope}.`,
          severity,
        ),
      );
    }
    const exec = resources.filter((r) => r === "pods/exec" || r === "pods/attach");
    if (
      exec.length > 0 &&
      (groups.includes("") || groups.includes("*")) &&
      verbs.some((v) => v === "create" || v === "get" || v === "*")
    ) {
      findings.push(
        makeFinding(
          "rbac.pods-exec",
          role,
          `rules[${index}].resources`,
          `Rule ${index} grants ${exec.join(", ")}: ${role.metadata.name} can run commands inside pods in ${scope}.`,
          severity,
        ),
      );
    }
  });
  return findings;
}

function checkBinding(binding: KubernetesObject, adminRoles: Set<string>): SecurityFinding[] {
  const findings: SecurityFinding[] = [];
  const roleRef = asRecord(binding.roleRef);
  if (roleRef && typeof roleRef.name === "string") {
    const key =
      roleRef.kind === "ClusterRole"
        ? `ClusterRole/${roleRef.name}`
        : `Role/${binding.metadata.namespace ?? ""}/${roleRef.name}`;
    if (adminRoles.has(key)) {
      const scope =
        binding.kind === "ClusterRoleBinding"
          ? "the whole cluster"
          : `namespace ${binding.metadata.namespace ?? "(unset)"}`;
      findings.push(
        makeFinding(
          "rbac.cluster-admin-binding",
          binding,
          "roleRef.name",
          `${binding.kind} ${binding.metadata.name} grants ${roleRef.name} (full access) over ${scope}.`,
          binding.kind === "ClusterRoleBinding" ? "critical" : "high",
        ),
      );
    }
  }
  asArray(binding.subjects).forEach((item, index) => {
    const subject = asRecord(item);
    if (subject?.kind === "Group" && typeof subject.name === "string" && everyoneGroups.has(subject.name)) {
      findings.push(
        makeFinding(
          "rbac.binding-to-all-users",
          binding,
          `subjects[${index}].name`,
          `${binding.kind} ${binding.metadata.name} binds ${describeValue(roleRef?.name)} to ${subject.name}.`,
        ),
      );
    }
  });
  return findings;
}

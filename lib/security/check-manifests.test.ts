import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { checkManifests } from "./check-manifests";
import { securityChecks, type CheckId } from "./check-catalog";
import {
  cleanDeployment,
  cleanManifests,
  cleanSupportingObjects,
  hardenedPodSpec,
} from "./__fixtures__/clean-manifests";
import type { Severity } from "./types";

// Tests reach deep into generated objects; a loose type keeps them readable.
type Json = Record<string, any>;

const P = "spec.template.spec";
const C = `${P}.containers[0]`;

/** The clean set with the Deployment's pod spec changed by `mutate`. */
function withPod(mutate: (pod: Json, container: Json) => void): KubernetesObject[] {
  const objects = cleanManifests();
  const deployment = objects.find((o) => o.kind === "Deployment") as Json;
  const pod = deployment.spec.template.spec;
  mutate(pod, pod.containers[0]);
  return objects;
}

function withObjects(mutate: (objects: KubernetesObject[]) => void): KubernetesObject[] {
  const objects = cleanManifests();
  mutate(objects);
  return objects;
}

function role(kind: "Role" | "ClusterRole", rules: Json[]): KubernetesObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: { name: "r", ...(kind === "Role" ? { namespace: "apps" } : {}) },
    rules,
  };
}

function binding(kind: "RoleBinding" | "ClusterRoleBinding", roleRef: Json, subjects: Json[]): KubernetesObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: { name: "b", ...(kind === "RoleBinding" ? { namespace: "apps" } : {}) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects,
  };
}

function policy(spec: Json): KubernetesObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace: "apps" },
    spec,
  };
}

function replacePolicy(spec: Json) {
  return withObjects((objects) =>
    objects.splice(
      objects.findIndex((o) => o.kind === "NetworkPolicy"),
      1,
      policy(spec),
    ),
  );
}

interface BadCase {
  name: string;
  objects: KubernetesObject[];
  check: CheckId;
  path: string;
  severity: Severity;
  /** Other checks the same single change legitimately triggers. */
  also?: CheckId[];
}

const badCases: BadCase[] = [
  {
    name: "privileged container",
    objects: withPod((_, c) => {
      c.securityContext.privileged = true;
    }),
    check: "pss.privileged",
    path: `${C}.securityContext.privileged`,
    severity: "critical",
  },
  {
    name: "Windows HostProcess pod",
    objects: withPod((p) => {
      p.securityContext.windowsOptions = { hostProcess: true };
    }),
    check: "pss.host-process",
    path: `${P}.securityContext.windowsOptions.hostProcess`,
    severity: "critical",
  },
  {
    name: "hostNetwork",
    objects: withPod((p) => {
      p.hostNetwork = true;
    }),
    check: "pss.host-namespaces",
    path: `${P}.hostNetwork`,
    severity: "high",
  },
  {
    name: "hostPID",
    objects: withPod((p) => {
      p.hostPID = true;
    }),
    check: "pss.host-namespaces",
    path: `${P}.hostPID`,
    severity: "high",
  },
  {
    name: "hostIPC",
    objects: withPod((p) => {
      p.hostIPC = true;
    }),
    check: "pss.host-namespaces",
    path: `${P}.hostIPC`,
    severity: "high",
  },
  {
    name: "hostPath to the docker socket",
    objects: withPod((p) => {
      p.volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } });
    }),
    check: "pss.host-path",
    path: `${P}.volumes[1].hostPath`,
    severity: "high",
  },
  {
    name: "hostPort",
    objects: withPod((_, c) => {
      c.ports[0].hostPort = 8080;
    }),
    check: "pss.host-port",
    path: `${C}.ports[0].hostPort`,
    severity: "medium",
  },
  {
    name: "SYS_ADMIN added",
    objects: withPod((_, c) => {
      c.securityContext.capabilities.add = ["SYS_ADMIN"];
    }),
    check: "pss.capabilities-added",
    path: `${C}.securityContext.capabilities.add[0]`,
    severity: "high",
  },
  {
    name: "CAP_NET_ADMIN added (prefixed form)",
    objects: withPod((_, c) => {
      c.securityContext.capabilities.add = ["NET_BIND_SERVICE", "CAP_NET_ADMIN"];
    }),
    check: "pss.capabilities-added",
    path: `${C}.securityContext.capabilities.add[1]`,
    severity: "high",
  },
  {
    name: "CHOWN added (baseline allows, restricted does not)",
    objects: withPod((_, c) => {
      c.securityContext.capabilities.add = ["CHOWN"];
    }),
    check: "pss.capabilities-added-restricted",
    path: `${C}.securityContext.capabilities.add[0]`,
    severity: "medium",
  },
  {
    name: "capabilities not dropping ALL",
    objects: withPod((_, c) => {
      c.securityContext.capabilities.drop = ["NET_RAW"];
    }),
    check: "pss.capabilities-not-dropped",
    path: `${C}.securityContext.capabilities.drop`,
    severity: "medium",
  },
  {
    name: "Unmasked procMount",
    objects: withPod((_, c) => {
      c.securityContext.procMount = "Unmasked";
    }),
    check: "pss.proc-mount",
    path: `${C}.securityContext.procMount`,
    severity: "high",
  },
  {
    name: "unsafe sysctl",
    objects: withPod((p) => {
      p.securityContext.sysctls = [
        { name: "net.ipv4.tcp_syncookies", value: "1" },
        { name: "kernel.msgmax", value: "65536" },
      ];
    }),
    check: "pss.unsafe-sysctls",
    path: `${P}.securityContext.sysctls[1].name`,
    severity: "high",
  },
  {
    name: "seccomp Unconfined on the container",
    objects: withPod((_, c) => {
      c.securityContext.seccompProfile = { type: "Unconfined" };
    }),
    check: "pss.seccomp-unconfined",
    path: `${C}.securityContext.seccompProfile.type`,
    severity: "high",
  },
  {
    name: "AppArmor Unconfined on the pod",
    objects: withPod((p) => {
      p.securityContext.appArmorProfile = { type: "Unconfined" };
    }),
    check: "pss.apparmor-unconfined",
    path: `${P}.securityContext.appArmorProfile.type`,
    severity: "high",
  },
  {
    name: "AppArmor unconfined by annotation",
    objects: withObjects((objects) => {
      (objects.find((o) => o.kind === "Deployment") as Json).spec.template.metadata.annotations = {
        "container.apparmor.security.beta.kubernetes.io/api": "unconfined",
      };
    }),
    check: "pss.apparmor-unconfined",
    path: 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/api"]',
    severity: "high",
  },
  {
    name: "SELinux spc_t",
    objects: withPod((_, c) => {
      c.securityContext.seLinuxOptions = { type: "spc_t" };
    }),
    check: "pss.selinux-options",
    path: `${C}.securityContext.seLinuxOptions.type`,
    severity: "medium",
  },
  {
    name: "SELinux custom user",
    objects: withPod((p) => {
      p.securityContext.seLinuxOptions = { user: "system_u" };
    }),
    check: "pss.selinux-options",
    path: `${P}.securityContext.seLinuxOptions.user`,
    severity: "medium",
  },
  {
    name: "nfs volume",
    objects: withPod((p) => {
      p.volumes.push({ name: "shared", nfs: { server: "nfs.example.com", path: "/exports" } });
    }),
    check: "pss.restricted-volume-type",
    path: `${P}.volumes[1].nfs`,
    severity: "medium",
  },
  {
    name: "container without securityContext",
    objects: withPod((_, c) => {
      delete c.securityContext;
    }),
    check: "pss.security-context-missing",
    path: `${C}.securityContext`,
    severity: "medium",
  },
  {
    name: "allowPrivilegeEscalation unset",
    objects: withPod((_, c) => {
      delete c.securityContext.allowPrivilegeEscalation;
    }),
    check: "pss.allow-privilege-escalation",
    path: `${C}.securityContext.allowPrivilegeEscalation`,
    severity: "medium",
  },
  {
    name: "runAsNonRoot unset everywhere",
    objects: withPod((p) => {
      delete p.securityContext.runAsNonRoot;
    }),
    check: "pss.run-as-non-root",
    path: `${C}.securityContext.runAsNonRoot`,
    severity: "medium",
  },
  {
    name: "container overrides runAsNonRoot to false",
    objects: withPod((_, c) => {
      c.securityContext.runAsNonRoot = false;
    }),
    check: "pss.run-as-non-root",
    path: `${C}.securityContext.runAsNonRoot`,
    severity: "medium",
  },
  {
    name: "container runAsUser 0",
    objects: withPod((_, c) => {
      c.securityContext.runAsUser = 0;
    }),
    check: "pss.run-as-root",
    path: `${C}.securityContext.runAsUser`,
    severity: "high",
  },
  {
    name: "pod runAsUser 0",
    objects: withPod((p) => {
      p.securityContext.runAsUser = 0;
    }),
    check: "pss.run-as-root",
    path: `${P}.securityContext.runAsUser`,
    severity: "high",
  },
  {
    name: "no seccomp profile",
    objects: withPod((p) => {
      delete p.securityContext.seccompProfile;
    }),
    check: "pss.seccomp-profile-missing",
    path: `${C}.securityContext.seccompProfile`,
    severity: "medium",
  },
  {
    name: "init container :latest",
    objects: withPod((p) => {
      p.initContainers = [{ ...structuredClone(p.containers[0]), name: "init", image: "busybox:latest" }];
    }),
    check: "images.latest-tag",
    path: `${P}.initContainers[0].image`,
    severity: "medium",
  },
  {
    name: "image without tag",
    objects: withPod((_, c) => {
      c.image = "nginx";
    }),
    check: "images.no-tag",
    path: `${C}.image`,
    severity: "medium",
  },
  {
    name: "registry port is not a tag",
    objects: withPod((_, c) => {
      c.image = "registry.local:5000/team/api";
    }),
    check: "images.no-tag",
    path: `${C}.image`,
    severity: "medium",
  },
  {
    name: "tag without digest",
    objects: withPod((_, c) => {
      c.image = "registry.local:5000/team/api:1.4.2";
    }),
    check: "images.tag-without-digest",
    path: `${C}.image`,
    severity: "low",
  },
  {
    name: "no requests",
    objects: withPod((_, c) => {
      delete c.resources.requests;
      c.resources.limits = { memory: "256Mi" };
    }),
    check: "resources.requests-missing",
    path: `${C}.resources.requests`,
    severity: "medium",
  },
  {
    name: "no memory limit",
    objects: withPod((_, c) => {
      delete c.resources.limits;
    }),
    check: "resources.limits-missing",
    path: `${C}.resources.limits.memory`,
    severity: "low",
  },
  {
    name: "token automounted by default",
    objects: withObjects((objects) => {
      delete (objects.find((o) => o.kind === "ServiceAccount") as Json).automountServiceAccountToken;
      delete (objects.find((o) => o.kind === "Deployment") as Json).spec.template.spec.automountServiceAccountToken;
    }),
    check: "sa.automount-token",
    path: `${P}.automountServiceAccountToken`,
    severity: "low",
  },
  {
    name: "token automounted on purpose",
    objects: withPod((p) => {
      p.automountServiceAccountToken = true;
    }),
    check: "sa.automount-token-explicit",
    path: `${P}.automountServiceAccountToken`,
    severity: "info",
  },
  {
    name: "password in plain env",
    objects: withPod((_, c) => {
      c.env.push({ name: "DB_PASSWORD", value: "hunter2" });
    }),
    check: "env.secret-literal",
    path: `${C}.env[2].value`,
    severity: "high",
  },
  {
    name: "camelCase apiKey in plain env",
    objects: withPod((_, c) => {
      c.env.push({ name: "openaiApiKey", value: "sk-123" });
    }),
    check: "env.secret-literal",
    path: `${C}.env[2].value`,
    severity: "high",
  },
  {
    name: "* on * in a ClusterRole",
    objects: [...cleanManifests(), role("ClusterRole", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }])],
    check: "rbac.wildcard-all",
    path: "rules[0]",
    severity: "critical",
  },
  {
    name: "* on * in a Role",
    objects: [
      ...cleanManifests(),
      role("Role", [
        { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
        { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
      ]),
    ],
    check: "rbac.wildcard-all",
    path: "rules[1]",
    severity: "high",
  },
  {
    name: "wildcard verbs",
    objects: [...cleanManifests(), role("Role", [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "*"] }])],
    check: "rbac.wildcard-verbs",
    path: "rules[0].verbs[1]",
    severity: "high",
  },
  {
    name: "wildcard resources",
    objects: [...cleanManifests(), role("Role", [{ apiGroups: ["apps"], resources: ["*"], verbs: ["get"] }])],
    check: "rbac.wildcard-resources",
    path: "rules[0].resources[0]",
    severity: "high",
  },
  {
    name: "wildcard API groups",
    objects: [...cleanManifests(), role("Role", [{ apiGroups: ["*"], resources: ["deployments"], verbs: ["get"] }])],
    check: "rbac.wildcard-api-groups",
    path: "rules[0].apiGroups[0]",
    severity: "medium",
  },
  {
    name: "escalate",
    objects: [
      ...cleanManifests(),
      role("ClusterRole", [
        { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["get", "escalate"] },
      ]),
    ],
    check: "rbac.privilege-escalation-verbs",
    path: "rules[0].verbs[1]",
    severity: "high",
  },
  {
    name: "bind",
    objects: [
      ...cleanManifests(),
      role("Role", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles"], verbs: ["bind"] }]),
    ],
    check: "rbac.privilege-escalation-verbs",
    path: "rules[0].verbs[0]",
    severity: "high",
  },
  {
    name: "impersonate",
    objects: [
      ...cleanManifests(),
      role("ClusterRole", [{ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }]),
    ],
    check: "rbac.privilege-escalation-verbs",
    path: "rules[0].verbs[0]",
    severity: "high",
  },
  {
    name: "create jobs",
    objects: [
      ...cleanManifests(),
      role("Role", [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "create"] }]),
    ],
    check: "rbac.workload-creation",
    path: "rules[0].verbs",
    severity: "medium",
  },
  {
    name: "pods/exec",
    objects: [...cleanManifests(), role("Role", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }])],
    check: "rbac.pods-exec",
    path: "rules[0].resources",
    severity: "medium",
  },
  {
    name: "secrets listed cluster-wide",
    objects: [
      ...cleanManifests(),
      role("ClusterRole", [{ apiGroups: [""], resources: ["pods", "secrets"], verbs: ["list"] }]),
    ],
    check: "rbac.secrets-read-cluster-wide",
    path: "rules[0].resources[1]",
    severity: "high",
  },
  {
    name: "ClusterRoleBinding to cluster-admin",
    objects: [
      ...cleanManifests(),
      binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [
        { kind: "ServiceAccount", name: "api", namespace: "apps" },
      ]),
    ],
    check: "rbac.cluster-admin-binding",
    path: "roleRef.name",
    severity: "critical",
  },
  {
    name: "RoleBinding to cluster-admin",
    objects: [
      ...cleanManifests(),
      binding("RoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [
        { kind: "ServiceAccount", name: "api", namespace: "apps" },
      ]),
    ],
    check: "rbac.cluster-admin-binding",
    path: "roleRef.name",
    severity: "high",
  },
  {
    name: "binding to a * on * role in the same set",
    objects: [
      ...cleanManifests(),
      role("ClusterRole", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]),
      binding("ClusterRoleBinding", { kind: "ClusterRole", name: "r" }, [{ kind: "User", name: "alice" }]),
    ],
    check: "rbac.cluster-admin-binding",
    path: "roleRef.name",
    severity: "critical",
    also: ["rbac.wildcard-all"],
  },
  {
    name: "binding to system:authenticated",
    objects: [
      ...cleanManifests(),
      binding("RoleBinding", { kind: "Role", name: "api" }, [{ kind: "Group", name: "system:authenticated" }]),
    ],
    check: "rbac.binding-to-all-users",
    path: "subjects[0].name",
    severity: "critical",
  },
  {
    name: "namespace without any NetworkPolicy",
    objects: withObjects((objects) =>
      objects.splice(
        objects.findIndex((o) => o.kind === "NetworkPolicy"),
        1,
      ),
    ),
    check: "netpol.no-default-deny-ingress",
    path: "metadata.name",
    severity: "medium",
    also: ["netpol.no-default-deny-egress"],
  },
  {
    name: "a policy that selects some pods is no default deny",
    objects: replacePolicy({ podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress", "Egress"] }),
    check: "netpol.no-default-deny-ingress",
    path: "metadata.name",
    severity: "medium",
    also: ["netpol.no-default-deny-egress"],
  },
  {
    name: "a select-all policy with an allow-all rule is no default deny",
    objects: replacePolicy({ podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}] }),
    check: "netpol.no-default-deny-ingress",
    path: "metadata.name",
    severity: "medium",
  },
  {
    name: "ingress-only default deny",
    objects: replacePolicy({ podSelector: {} }),
    check: "netpol.no-default-deny-egress",
    path: "metadata.name",
    severity: "low",
  },
  {
    name: "HTTPS egress to 0.0.0.0/0 beside the default deny",
    objects: withObjects((objects) =>
      objects.push(allowEgress([{ ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.0.0/16"] } }])),
    ),
    check: "netpol.egress-to-any-address",
    path: "spec.egress[0].to[0].ipBlock.cidr",
    severity: "low",
  },
  {
    name: "an egress rule with no destination",
    objects: withObjects((objects) => objects.push(allowEgress(undefined))),
    check: "netpol.egress-to-any-address",
    path: "spec.egress[0]",
    severity: "low",
  },
];

/** A policy beside the clean set's default deny that allows egress on 443 to `to` (undefined: no peer named). */
function allowEgress(to: Json[] | undefined): KubernetesObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "allow-egress", namespace: "apps" },
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ ...(to ? { to } : {}), ports: [{ protocol: "TCP", port: 443 }] }],
    },
  };
}

describe("checkManifests", () => {
  it("reports nothing, and scores 100, for a hardened manifest set", () => {
    const report = checkManifests(cleanManifests());
    expect(report.findings).toEqual([]);
    expect(report.score).toBe(100);
    expect(report.counts).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });
  });

  it.each(badCases)("flags $name as $check at $path", ({ objects, check, path, severity, also = [] }) => {
    const report = checkManifests(objects);
    const matching = report.findings.filter((finding) => finding.check === check && finding.path === path);
    expect(matching).toHaveLength(1);
    expect(matching[0]!.severity).toBe(severity);
    expect(matching[0]!.message.length).toBeGreaterThan(10);
    expect(matching[0]!.why).toBe(securityChecks[check].why);
    expect(matching[0]!.fix).toBe(securityChecks[check].fix);
    // The one change must not drag unrelated findings along.
    expect(new Set(report.findings.map((finding) => finding.check))).toEqual(new Set([check, ...also]));
  });

  it("has a bad-manifest case for every check in the catalog", () => {
    const covered = new Set(badCases.map((c) => c.check));
    expect(Object.keys(securityChecks).filter((id) => !covered.has(id as CheckId))).toEqual([]);
  });

  it.each([
    { name: "a private endpoint subnet", to: [{ ipBlock: { cidr: "10.0.96.0/24" } }] },
    { name: "a namespace", to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "egress" } } }] },
    { name: "a private range", to: [{ ipBlock: { cidr: "10.0.0.0/8" } }] },
  ])("does not flag egress to $name", ({ to }) => {
    expect(checkManifests([...cleanManifests(), allowEgress(to)]).findings).toEqual([]);
  });

  it.each([
    { name: "PASSWORD_FILE points at a file", env: { name: "PASSWORD_FILE", value: "/run/secrets/db" } },
    { name: "an env reference is no literal", env: { name: "API_TOKEN", value: "$(TOKEN_FROM_INIT)" } },
    { name: "MONKEY is not KEY", env: { name: "MONKEY_MODE", value: "on" } },
    { name: "an empty value", env: { name: "SECRET", value: "" } },
  ])("does not flag env when $name", ({ env }) => {
    expect(
      checkManifests(
        withPod((_, c) => {
          c.env.push(env);
        }),
      ).findings,
    ).toEqual([]);
  });

  it.each([
    {
      name: "a namespaced Role reading secrets",
      rbac: role("Role", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }]),
    },
    {
      name: "a ClusterRole reading secrets by name",
      rbac: role("ClusterRole", [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["tls"], verbs: ["get"] }]),
    },
    {
      name: "a ClusterRole reading secrets of another API group",
      rbac: role("ClusterRole", [{ apiGroups: ["external-secrets.io"], resources: ["secrets"], verbs: ["get"] }]),
    },
  ])("does not report cluster-wide secret reads for $name", ({ rbac }) => {
    expect(checkManifests([...cleanManifests(), rbac]).findings.map((f) => f.check)).not.toContain(
      "rbac.secrets-read-cluster-wide",
    );
  });

  it("accepts limits as requests, as Kubernetes defaults them", () => {
    const report = checkManifests(
      withPod((_, c) => {
        c.resources = { limits: { cpu: "1", memory: "1Gi" } };
      }),
    );
    expect(report.findings).toEqual([]);
  });

  describe("pod-bearing kinds", () => {
    const privilegedPod = () => {
      const pod = hardenedPodSpec() as Json;
      pod.containers[0].securityContext.privileged = true;
      return pod;
    };
    const template = () => ({ metadata: { labels: { app: "api" } }, spec: privilegedPod() });
    it.each([
      { kind: "Pod", apiVersion: "v1", spec: privilegedPod(), prefix: "spec" },
      { kind: "Deployment", apiVersion: "apps/v1", spec: { template: template() }, prefix: "spec.template.spec" },
      { kind: "StatefulSet", apiVersion: "apps/v1", spec: { template: template() }, prefix: "spec.template.spec" },
      { kind: "DaemonSet", apiVersion: "apps/v1", spec: { template: template() }, prefix: "spec.template.spec" },
      { kind: "ReplicaSet", apiVersion: "apps/v1", spec: { template: template() }, prefix: "spec.template.spec" },
      { kind: "Job", apiVersion: "batch/v1", spec: { template: template() }, prefix: "spec.template.spec" },
      {
        kind: "CronJob",
        apiVersion: "batch/v1",
        spec: { jobTemplate: { spec: { template: template() } } },
        prefix: "spec.jobTemplate.spec.template.spec",
      },
      {
        kind: "ScaledJob",
        apiVersion: "keda.sh/v1alpha1",
        spec: { jobTargetRef: { template: template() } },
        prefix: "spec.jobTargetRef.template.spec",
      },
    ])("finds the pod spec of a $kind", ({ kind, apiVersion, spec, prefix }) => {
      const object: KubernetesObject = { apiVersion, kind, metadata: { name: "w", namespace: "apps" }, spec };
      const report = checkManifests([...cleanSupportingObjects(), object]);
      expect(report.findings.map((f) => `${f.check} ${f.object.kind} ${f.path}`)).toEqual([
        `pss.privileged ${kind} ${prefix}.containers[0].securityContext.privileged`,
      ]);
    });
  });

  it("reads a bare Pod's own metadata for the AppArmor annotation", () => {
    const pod: KubernetesObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        namespace: "apps",
        annotations: { "container.apparmor.security.beta.kubernetes.io/api": "unconfined" },
      },
      spec: hardenedPodSpec(),
    };
    expect(checkManifests([...cleanSupportingObjects(), pod]).findings.map((f) => `${f.check} ${f.path}`)).toEqual([
      'pss.apparmor-unconfined metadata.annotations["container.apparmor.security.beta.kubernetes.io/api"]',
    ]);
  });

  describe("device plugin hostPath", () => {
    const withHostPath = (kind: string, hostPath: string) => {
      const deployment = cleanDeployment();
      deployment.kind = kind;
      (deployment as Json).spec.template.spec.volumes.push({ name: "host", hostPath: { path: hostPath } });
      return checkManifests([...cleanSupportingObjects(), deployment]).findings.find(
        (f) => f.check === "pss.host-path",
      );
    };
    it("reports the kubelet device-plugin directory in a DaemonSet at medium, with the reason", () => {
      const finding = withHostPath("DaemonSet", "/var/lib/kubelet/device-plugins");
      expect(finding?.severity).toBe("medium");
      expect(finding?.message).toMatch(/device plugin/);
    });
    it.each([
      { kind: "Deployment", hostPath: "/var/lib/kubelet/device-plugins" },
      { kind: "DaemonSet", hostPath: "/var/lib/kubelet" },
      { kind: "DaemonSet", hostPath: "/var/lib/kubelet/device-plugins-evil" },
    ])("keeps $hostPath in a $kind at high", ({ kind, hostPath }) => {
      expect(withHostPath(kind, hostPath)?.severity).toBe("high");
    });
  });

  it.each([
    { counts: {}, score: 100 },
    { counts: { critical: 1 }, score: 49 }, // 50, capped at 49 by the critical
    { counts: { critical: 1, high: 1 }, score: 40 },
    { counts: { high: 1 }, score: 74 }, // 80, capped at 74 by the high
    { counts: { medium: 2 }, score: 89 }, // 100 × 0.95² = 90.25, capped at 89 by the mediums
    { counts: { info: 5 }, score: 100 },
  ])(
    "scores $counts as $score (100 × 0.5^critical × 0.8^high × 0.95^medium × 0.99^low, capped by the worst severity)",
    ({ counts, score }) => {
      const objects = cleanManifests();
      const add = (n: number | undefined, make: (i: number) => KubernetesObject) => {
        for (let i = 0; i < (n ?? 0); i++) objects.push(make(i));
      };
      const c = counts as Partial<Record<Severity, number>>;
      add(c.critical, (i) =>
        binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [
          { kind: "User", name: `u${i}` },
        ]),
      );
      add(c.high, (i) => ({
        ...role("Role", [{ apiGroups: [""], resources: ["roles"], verbs: ["bind"] }]),
        metadata: { name: `h${i}`, namespace: "apps" },
      }));
      add(c.medium, (i) => ({
        ...role("Role", [{ apiGroups: ["*"], resources: ["pods"], verbs: ["get"] }]),
        metadata: { name: `m${i}`, namespace: "apps" },
      }));
      add(c.info, (i) => {
        const deployment = cleanDeployment();
        deployment.metadata.name = `i${i}`;
        (deployment as Json).spec.template.spec.automountServiceAccountToken = true;
        return deployment;
      });
      const report = checkManifests(objects);
      expect(report.counts).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0, ...counts });
      expect(report.score).toBe(score);
    },
  );

  it.each([
    {
      name: "a Role that can create jobs",
      rules: [{ apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get"] }],
      check: "rbac.workload-creation",
      severity: "medium",
    },
    {
      name: "a Role that can create pods",
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["create"] }],
      check: "rbac.workload-creation",
      severity: "medium",
    },
    {
      name: "a Role with pods/exec",
      rules: [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }],
      check: "rbac.pods-exec",
      severity: "medium",
    },
  ])("flags privilege escalation through workloads: $name", ({ rules, check, severity }) => {
    const report = checkManifests([
      ...cleanManifests(),
      { ...role("Role", rules), metadata: { name: "dev", namespace: "apps" } },
    ]);
    expect(report.findings.filter((f) => f.check === check).map((f) => [f.object.name, f.severity])).toEqual([
      ["dev", severity],
    ]);
  });

  it("raises workload creation to high for a ClusterRole bound cluster-wide, and ignores read-only roles", () => {
    const creator = {
      ...role("ClusterRole", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["create"] }]),
      metadata: { name: "deployer" },
    };
    const bound = binding("ClusterRoleBinding", { kind: "ClusterRole", name: "deployer" }, [
      { kind: "User", name: "ci" },
    ]);
    expect(
      checkManifests([...cleanManifests(), creator, bound]).findings.find((f) => f.check === "rbac.workload-creation")
        ?.severity,
    ).toBe("high");
    const reader = {
      ...role("Role", [
        {
          apiGroups: ["", "apps", "batch"],
          resources: ["pods", "deployments", "jobs"],
          verbs: ["get", "list", "watch"],
        },
      ]),
      metadata: { name: "viewer", namespace: "apps" },
    };
    expect(checkManifests([...cleanManifests(), reader]).findings.filter((f) => f.check.startsWith("rbac."))).toEqual(
      [],
    );
  });

  it("keeps a risk its owner accepted with a reason in an annotation, as info naming the reason; an empty reason accepts nothing", () => {
    const creator = {
      ...role("ClusterRole", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["create"] }]),
      metadata: { name: "deployer" },
    };
    const bound = binding("ClusterRoleBinding", { kind: "ClusterRole", name: "deployer" }, [
      { kind: "User", name: "ci" },
    ]);
    const accepting = (reason: string) => ({
      ...creator,
      metadata: { name: "deployer", annotations: { "security.ml-portal.io/accept.rbac.workload-creation": reason } },
    });
    const plain = checkManifests([...cleanManifests(), creator, bound]);
    const accepted = checkManifests([...cleanManifests(), accepting("deploys approved releases"), bound]);
    const finding = accepted.findings.find((f) => f.check === "rbac.workload-creation");
    expect(finding?.severity).toBe("info");
    expect(finding?.message).toContain("Accepted (was high): deploys approved releases");
    expect(accepted.score).toBeGreaterThan(plain.score);
    expect(
      checkManifests([...cleanManifests(), accepting("  "), bound]).findings.find(
        (f) => f.check === "rbac.workload-creation",
      )?.severity,
    ).toBe("high");
    const otherCheck = {
      ...creator,
      metadata: { name: "deployer", annotations: { "security.ml-portal.io/accept.rbac.pods-exec": "not this one" } },
    };
    expect(
      checkManifests([...cleanManifests(), otherCheck, bound]).findings.find(
        (f) => f.check === "rbac.workload-creation",
      )?.severity,
    ).toBe("high");
  });

  it("orders findings worst first and is deterministic", () => {
    const objects = [
      ...cleanManifests(),
      role("Role", [{ apiGroups: ["*"], resources: ["pods"], verbs: ["get"] }]),
      binding("ClusterRoleBinding", { kind: "ClusterRole", name: "cluster-admin" }, [{ kind: "User", name: "u" }]),
    ];
    const first = checkManifests(objects);
    expect(first.findings.map((f) => f.severity)).toEqual(["critical", "medium"]);
    expect(checkManifests([...objects].reverse())).toEqual(first);
  });
});

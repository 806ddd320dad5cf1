// Every check the security report can raise, with its default severity and the advice shown to people.
// Keeping the prose here (not in each check) means the UI can list all checks and findings stay consistent.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { ObjectRef, SecurityFinding, Severity } from "./types";

export interface CheckDefinition {
  severity: Severity;
  title: string;
  why: string;
  fix: string;
}

const restrictedPss = "Pod Security Standards 'restricted' profile";
const baselinePss = "Pod Security Standards 'baseline' profile";

export const securityChecks = {
  "pss.privileged": {
    severity: "critical",
    title: "Privileged container",
    why: `A privileged container has every capability and all host devices: escaping to the node is trivial. Forbidden by the ${baselinePss}.`,
    fix: "Remove securityContext.privileged (or set it to false) and grant only the specific capability or device the workload needs.",
  },
  "pss.host-process": {
    severity: "critical",
    title: "Windows HostProcess container",
    why: `A HostProcess container runs directly on the Windows node with the node's privileges. Forbidden by the ${baselinePss}.`,
    fix: "Remove securityContext.windowsOptions.hostProcess.",
  },
  "pss.host-namespaces": {
    severity: "high",
    title: "Host network, PID or IPC namespace",
    why: `Sharing the node's network, process or IPC namespace lets the pod see and reach everything on the node (other pods' traffic, processes, shared memory). Forbidden by the ${baselinePss}.`,
    fix: "Remove hostNetwork / hostPID / hostIPC (or set them to false); expose ports through a Service instead.",
  },
  "pss.host-path": {
    severity: "high",
    title: "hostPath volume",
    why: `A hostPath volume exposes the node's filesystem to the pod; write access to paths like /var/lib/kubelet or /etc is a node takeover. Forbidden by the ${baselinePss}.`,
    fix: "Use a persistentVolumeClaim, configMap, secret, emptyDir or CSI volume instead; if a node agent truly needs it, mount the narrowest directory read-only and run it in a dedicated namespace.",
  },
  "pss.host-port": {
    severity: "medium",
    title: "hostPort",
    why: `A hostPort binds directly on the node, bypassing NetworkPolicies and Services, and limits scheduling to one pod per node. Disallowed by the ${baselinePss}.`,
    fix: "Remove ports[].hostPort and expose the port through a Service.",
  },
  "pss.capabilities-added": {
    severity: "high",
    title: "Dangerous Linux capability added",
    why: `Capabilities beyond the default set (e.g. SYS_ADMIN, NET_ADMIN, SYS_PTRACE) give kernel-level powers that enable container escape. Forbidden by the ${baselinePss}.`,
    fix: "Remove the capability from securityContext.capabilities.add; only NET_BIND_SERVICE is allowed under the restricted profile.",
  },
  "pss.capabilities-added-restricted": {
    severity: "medium",
    title: "Capability added beyond NET_BIND_SERVICE",
    why: `The ${restrictedPss} allows adding only NET_BIND_SERVICE; other default capabilities (CHOWN, SETUID, ...) widen what a compromised process can do.`,
    fix: "Remove the capability from securityContext.capabilities.add.",
  },
  "pss.capabilities-not-dropped": {
    severity: "medium",
    title: "Capabilities not dropped",
    why: `Containers keep the runtime's default capabilities unless they drop them; the ${restrictedPss} requires dropping ALL.`,
    fix: 'Set securityContext.capabilities.drop: ["ALL"] (add back NET_BIND_SERVICE only if the process binds a port below 1024).',
  },
  "pss.proc-mount": {
    severity: "high",
    title: "Unmasked /proc mount",
    why: `An Unmasked /proc exposes kernel interfaces the runtime normally hides. Forbidden by the ${baselinePss}.`,
    fix: "Remove securityContext.procMount or set it to Default.",
  },
  "pss.unsafe-sysctls": {
    severity: "high",
    title: "Unsafe sysctl",
    why: `Sysctls outside the namespaced safe set change kernel settings for the whole node. Forbidden by the ${baselinePss}.`,
    fix: "Remove the sysctl from spec.securityContext.sysctls, or tune it on the node pool instead.",
  },
  "pss.seccomp-unconfined": {
    severity: "high",
    title: "Seccomp explicitly unconfined",
    why: `Unconfined seccomp exposes every system call to the container, including the ones most kernel exploits use. Forbidden by the ${baselinePss}.`,
    fix: "Set securityContext.seccompProfile.type: RuntimeDefault.",
  },
  "pss.apparmor-unconfined": {
    severity: "high",
    title: "AppArmor explicitly unconfined",
    why: `Disabling AppArmor removes a mandatory access control layer. Forbidden by the ${baselinePss}.`,
    fix: "Remove appArmorProfile or set its type to RuntimeDefault.",
  },
  "pss.selinux-options": {
    severity: "medium",
    title: "Custom SELinux options",
    why: `Setting a custom SELinux user, role or a type outside the container types can lift confinement. Restricted by the ${baselinePss}.`,
    fix: "Remove seLinuxOptions.user/role and use one of container_t, container_init_t, container_kvm_t, container_engine_t as the type.",
  },
  "pss.restricted-volume-type": {
    severity: "medium",
    title: "Volume type outside the restricted set",
    why: `The ${restrictedPss} allows only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes; other in-tree types mount node or network storage directly.`,
    fix: "Replace the volume with a persistentVolumeClaim (backed by a StorageClass/CSI driver) or one of the allowed types.",
  },
  "pss.security-context-missing": {
    severity: "medium",
    title: "Container without a security context",
    why: `Without a securityContext the container runs as whatever user the image says (often root), may gain privileges through setuid binaries, keeps default capabilities and runs without seccomp: it fails the ${restrictedPss}.`,
    fix: 'Add securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: RuntimeDefault } } (runAsNonRoot and seccompProfile may be set once at pod level).',
  },
  "pss.allow-privilege-escalation": {
    severity: "medium",
    title: "Privilege escalation allowed",
    why: `Unless allowPrivilegeEscalation is false, a process can gain more privileges than its parent (setuid binaries). The ${restrictedPss} requires false.`,
    fix: "Set securityContext.allowPrivilegeEscalation: false.",
  },
  "pss.run-as-non-root": {
    severity: "medium",
    title: "Not required to run as non-root",
    why: `Without runAsNonRoot the kubelet starts the container as root when the image says so; root in a container is one kernel bug away from root on the node. The ${restrictedPss} requires runAsNonRoot: true.`,
    fix: "Set securityContext.runAsNonRoot: true at pod level (and a non-zero runAsUser if the image has no USER).",
  },
  "pss.run-as-root": {
    severity: "high",
    title: "Runs as UID 0",
    why: `runAsUser: 0 runs the process as root explicitly. Forbidden by the ${restrictedPss}.`,
    fix: "Set runAsUser to a non-zero UID (e.g. 10001) and runAsNonRoot: true.",
  },
  "pss.seccomp-profile-missing": {
    severity: "medium",
    title: "No seccomp profile",
    why: `Without a seccomp profile every system call is allowed. The ${restrictedPss} requires RuntimeDefault or Localhost.`,
    fix: "Set spec.securityContext.seccompProfile.type: RuntimeDefault at pod level.",
  },
  "rbac.wildcard-all": {
    severity: "critical",
    title: "All verbs on all resources in all API groups",
    why: "A rule with * verbs on * resources in * API groups is cluster-admin (in a ClusterRole) or namespace-admin (in a Role): it can read every secret, run pods as any service account and grant itself more. It also silently covers every resource type installed later.",
    fix: "List the API groups, resources and verbs the subject actually needs; use the built-in view/edit/admin roles where they fit.",
  },
  "rbac.wildcard-verbs": {
    severity: "high",
    title: "Wildcard verbs",
    why: "'*' grants every verb, including delete, deletecollection, escalate, bind and impersonate, and any verb added later.",
    fix: "List the verbs explicitly (usually get, list, watch; add create, patch, delete only where needed).",
  },
  "rbac.wildcard-resources": {
    severity: "high",
    title: "Wildcard resources",
    why: "'*' grants access to every resource in the listed groups, including secrets and subresources such as pods/exec.",
    fix: "List the resources explicitly.",
  },
  "rbac.wildcard-api-groups": {
    severity: "medium",
    title: "Wildcard API groups",
    why: "'*' covers every API group, including custom resources installed later.",
    fix: 'List the API groups explicitly ("" is the core group).',
  },
  "rbac.privilege-escalation-verbs": {
    severity: "high",
    title: "escalate, bind or impersonate",
    why: "escalate and bind let a subject grant permissions it does not hold; impersonate lets it act as any user, group or service account. Each is a path to cluster-admin.",
    fix: "Remove the verb, or restrict it with resourceNames to the specific roles or identities required.",
  },
  "rbac.workload-creation": {
    severity: "medium",
    title: "Can create workloads (pods, jobs, deployments)",
    why: "Whoever can create a pod, or anything that makes pods, can mount any Secret and run as any service account of the namespace: the role effectively grants every Secret and every service account's permissions there (cluster-wide when bound by a ClusterRoleBinding).",
    fix: "Grant workload creation only in namespaces whose Secrets and service accounts the subjects may use anyway, bind it with RoleBindings (never a ClusterRoleBinding), and enforce Pod Security restricted there.",
  },
  "rbac.pods-exec": {
    severity: "medium",
    title: "pods/exec or pods/attach",
    why: "exec and attach run commands inside running pods: the subject gets those pods' service account tokens, mounted Secrets and cloud identities.",
    fix: "Remove pods/exec and pods/attach; give debugging access through a separate, audited break-glass role.",
  },
  "rbac.secrets-read-cluster-wide": {
    severity: "high",
    title: "Secrets readable cluster-wide",
    why: "A ClusterRole that can get, list or watch secrets exposes every namespace's credentials, including service account tokens, to whoever it is bound to.",
    fix: "Move the permission into a namespaced Role, or restrict it with resourceNames to the specific secrets.",
  },
  "rbac.cluster-admin-binding": {
    severity: "critical",
    title: "Binding grants cluster-admin",
    why: "Binding cluster-admin (or a role with * on *) gives the subjects full control of the cluster (or of the namespace for a RoleBinding).",
    fix: "Bind a role that lists only what the subjects need.",
  },
  "rbac.binding-to-all-users": {
    severity: "critical",
    title: "Binding to anonymous or all authenticated users",
    why: "system:anonymous, system:unauthenticated and system:authenticated include every caller (or every account, including every service account in the cluster).",
    fix: "Bind to specific users, groups or service accounts.",
  },
  "netpol.no-default-deny-ingress": {
    severity: "medium",
    title: "Namespace without a default-deny ingress NetworkPolicy",
    why: "Without a default deny, every pod in the namespace accepts traffic from any pod in the cluster; one compromised pod can reach model servers, databases and metrics endpoints.",
    fix: "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] and no ingress rules, then allow specific traffic with further policies.",
  },
  "netpol.no-default-deny-egress": {
    severity: "low",
    title: "Namespace without a default-deny egress NetworkPolicy",
    why: "Without an egress default deny, a compromised pod can reach any address, including the cloud metadata endpoint and external hosts to exfiltrate data.",
    fix: "Add a NetworkPolicy with podSelector: {} and policyTypes: [Egress] and no egress rules, then allow DNS and the destinations each workload needs.",
  },
  "netpol.egress-to-any-address": {
    // Low, like a namespace with no egress deny at all: this is a narrower opening (some ports, link-local
    // addresses usually excepted), so it cannot outrank that finding; it is reported so the opening is reviewed.
    severity: "low",
    title: "Egress allowed to any address",
    why: "An egress rule to 0.0.0.0/0 (or with no destination) lets a compromised pod send data to any host on the internet on those ports: HTTPS to anywhere is the usual exfiltration path, and default deny no longer limits it.",
    fix: "Allow only the destinations the pods need: the cloud's private endpoints (VPC interface endpoints for STS, S3 and Secrets Manager; Private Google Access ranges; Azure Private Endpoints) by their CIDRs, or send the traffic through an egress gateway or proxy with an FQDN allow-list (Cilium, Calico or Istio egress policies).",
  },
  "images.latest-tag": {
    severity: "medium",
    title: "Image uses :latest",
    why: ":latest changes under you: two replicas can run different code, rollbacks do nothing and a compromised registry push reaches production on the next restart.",
    fix: "Pin a version tag and its digest: image: registry/name:1.2.3@sha256:<digest>.",
  },
  "images.no-tag": {
    severity: "medium",
    title: "Image without tag or digest",
    why: "An image without a tag means :latest, with the same drift and supply-chain risk.",
    fix: "Pin a version tag and its digest: image: registry/name:1.2.3@sha256:<digest>.",
  },
  "images.tag-without-digest": {
    severity: "low",
    title: "Image pinned by tag only",
    why: "Tags are mutable: whoever can push to the registry can change what runs without any manifest change.",
    fix: "Append the digest: image: registry/name:1.2.3@sha256:<digest> (tools such as crane or skopeo print it).",
  },
  "resources.requests-missing": {
    severity: "medium",
    title: "CPU or memory requests missing",
    why: "Without requests the scheduler packs pods blindly, autoscalers cannot compute utilization and the pod is first to be evicted (BestEffort/Burstable).",
    fix: "Set resources.requests.cpu and resources.requests.memory from observed usage.",
  },
  "resources.limits-missing": {
    severity: "low",
    title: "Memory limit missing",
    why: "Without a memory limit a leaking process can exhaust the node and get its neighbours OOM-killed. (CPU limits are deliberately not required: they cause throttling and are not a security boundary.)",
    fix: "Set resources.limits.memory (commonly equal to the request for predictable behaviour).",
  },
  "sa.automount-token": {
    severity: "low",
    title: "Service account token mounted automatically",
    why: "Every pod gets an API token by default; an attacker in the container can use it against the Kubernetes API with whatever RBAC the service account has.",
    fix: "Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless the process calls the Kubernetes API.",
  },
  "sa.automount-token-explicit": {
    severity: "info",
    title: "Service account token mounted on purpose",
    why: "The pod opts in to an API token; that is right for controllers, but its service account's RBAC is then the pod's blast radius.",
    fix: "Keep the service account's Role to the verbs and kinds the process uses.",
  },
  "env.secret-literal": {
    severity: "high",
    title: "Secret value in plain env",
    why: "A literal value in a manifest ends up in git, in CI logs and in `kubectl get -o yaml` for everyone who can read the workload.",
    fix: "Move the value into a Secret (or an ExternalSecret) and reference it with valueFrom.secretKeyRef.",
  },
} satisfies Record<string, CheckDefinition>;

export type CheckId = keyof typeof securityChecks;

export function refOf(object: KubernetesObject): ObjectRef {
  const ref: ObjectRef = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name };
  if (object.metadata.namespace) ref.namespace = object.metadata.namespace;
  return ref;
}

/** Builds a finding with the catalog's advice; severity may be lowered or raised for a documented reason. */
export function makeFinding(
  check: CheckId,
  object: KubernetesObject,
  path: string,
  message: string,
  severity: Severity = securityChecks[check].severity,
): SecurityFinding {
  const definition: CheckDefinition = securityChecks[check];
  return { check, severity, object: refOf(object), path, message, why: definition.why, fix: definition.fix };
}

// The node setting RDMA in containers needs on AKS ND-series nodes: an unlimited locked-memory limit. NCCL registers
// (pins) its buffers with the InfiniBand HCAs, which the kernel counts against RLIMIT_MEMLOCK unless the process has
// CAP_IPC_LOCK; the training ranks run under the restricted profile, which forbids adding it. Containers inherit the
// limit from containerd, whose AKS unit sets none (systemd's default is 64 KiB or 8 MiB), and AKS's custom node
// configuration has no ulimit setting. So, as AKS documents for settings beyond its custom node configuration and as
// the AKS InfiniBand guides do ("IB node configuration"), a DaemonSet on those nodes writes a containerd drop-in,
// LimitMEMLOCK=infinity, and restarts containerd once (running containers survive: KillMode=process). It needs the
// host's mount and PID namespaces, so it runs privileged in a namespace of its own, with each accepted risk named.
import type { KubernetesObject } from "@/lib/k8s/types";
import { ACCEPT_ANNOTATION_PREFIX } from "@/lib/security/check-manifests";
import { buildNamespace } from "./build-namespaces";
import { buildDefaultDeny } from "./build-network-policies";
import { labelsFor, poolTaints, type PlanContext } from "./plan-context";
import { infinibandVmSizes } from "./training-interconnect";

export const infinibandNodeConfigNamespace = "infiniband-node-config";
export const memlockDaemonSetName = "containerd-memlock";
/** Ubuntu's base image: util-linux (nsenter), sh and sleep. Microsoft's mirror, as AKS nodes already pull from mcr. */
export const memlockImage = "mcr.microsoft.com/mirror/docker/library/ubuntu:24.04";
export const memlockDropIn = "/etc/systemd/system/containerd.service.d/60-memlock.conf";

/**
 * Runs in the host's namespaces: idempotent (a node already at infinity is left alone, so a restarted pod does not
 * restart containerd again), and re-applied by the DaemonSet on every new or reimaged node.
 */
export const memlockScript = [
  "set -eu",
  `if [ "$(systemctl show containerd --property=LimitMEMLOCK --value)" != "infinity" ]; then`,
  `  mkdir -p ${memlockDropIn.slice(0, memlockDropIn.lastIndexOf("/"))}`,
  `  printf '[Service]\\nLimitMEMLOCK=infinity\\n' > ${memlockDropIn}`,
  "  systemctl daemon-reload",
  "  systemctl restart containerd",
  "fi",
].join("\n");

const accepted = (reason: string, checks: readonly string[]) =>
  Object.fromEntries(checks.map((check) => [`${ACCEPT_ANNOTATION_PREFIX}${check}`, reason]));

/** The InfiniBand pools' sizes: the DaemonSet runs only there. */
function infinibandSizes(ctx: PlanContext): string[] {
  return [
    ...new Set(
      ctx.input.node_pools
        .filter((p) => p.labels["workload-type"] === "training" && infinibandVmSizes.has(p.instance_type))
        .map((p) => p.instance_type),
    ),
  ];
}

export function buildInfinibandNodeConfig(ctx: PlanContext): KubernetesObject[] {
  const sizes = infinibandSizes(ctx);
  if (ctx.input.cloud_provider !== "azure" || sizes.length === 0) return [];
  const pools = ctx.input.node_pools.filter((p) => sizes.includes(p.instance_type));
  const taints = [...new Map(pools.flatMap((p) => poolTaints(ctx.input, p)).map((t) => [`${t.key}:${t.effect}`, t]))];
  const selector = { "app.kubernetes.io/name": memlockDaemonSetName };
  const reason =
    "Sets LimitMEMLOCK=infinity on containerd of the InfiniBand nodes, which RDMA in the restricted training pods needs and AKS offers no setting for: it must enter the host's mount and PID namespaces and run systemctl as root. It runs only on those nodes, with no service account token, network or volume.";
  return [
    buildNamespace(ctx, infinibandNodeConfigNamespace, "privileged"),
    buildDefaultDeny(ctx, infinibandNodeConfigNamespace)[0]!,
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: {
        name: memlockDaemonSetName,
        namespace: infinibandNodeConfigNamespace,
        labels: labelsFor(ctx, memlockDaemonSetName),
        // Each check the container fails by design, accepted by name: the report keeps them, as info with the reason.
        annotations: accepted(reason, [
          "pss.privileged",
          "pss.host-namespaces",
          "pss.allow-privilege-escalation",
          "pss.capabilities-not-dropped",
          "pss.run-as-non-root",
        ]),
      },
      spec: {
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: labelsFor(ctx, memlockDaemonSetName) },
          spec: {
            hostPID: true,
            priorityClassName: "system-node-critical",
            automountServiceAccountToken: false,
            securityContext: { seccompProfile: { type: "RuntimeDefault" } },
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchExpressions: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: sizes }] },
                  ],
                },
              },
            },
            // The pools' own taints and the cloud's (AKS spot), or the DaemonSet never reaches those nodes.
            tolerations: taints.map(([, t]) => ({ key: t.key, operator: "Exists", effect: t.effect })),
            containers: [
              {
                name: "memlock",
                image: memlockImage,
                command: [
                  "sh",
                  "-c",
                  `nsenter --target 1 --mount --pid -- sh -c '${memlockScript.replace(/'/g, `'\\''`)}' && exec sleep infinity`,
                ],
                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                securityContext: { privileged: true },
              },
            ],
          },
        },
      },
    },
  ];
}

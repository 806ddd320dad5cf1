// The NVIDIA device plugin DaemonSet, hardened: no privilege, all capabilities dropped, read-only root, one
// hostPath (the kubelet's device-plugin socket directory, which registration requires) in its own namespace.
import type { KubernetesObject } from "@/lib/k8s/types";
import { devicePluginNamespace } from "./build-namespaces";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { labelsFor, poolTaints, type PlanContext } from "./plan-context";

export const devicePluginVersion = "v0.17.0";
// The digest nvcr.io served for v0.17.0, as minikube's nvidia-device-plugin addon pins it (kubernetes/minikube
// 36a5c8e, pkg/minikube/assets/addons.go): a tag can be re-pushed, a digest cannot.
export const devicePluginImage = `nvcr.io/nvidia/k8s-device-plugin:${devicePluginVersion}@sha256:7089559ce6153018806857f5049085bae15b3bf6f1c8bd19d8b12f707d087dea`;
export const devicePluginName = "nvidia-device-plugin";

export function buildDevicePlugin(ctx: PlanContext): KubernetesObject {
  // Karpenter labels fallback nodes with their own GPU model (build-karpenter.ts): the plugin must run there too.
  const fallbackModels = ctx.gpuPools
    .filter((p) => p.labels.accelerator && ctx.input.cloud_provider === "aws")
    .flatMap((p) => p.fallback_instance_types.map((t) => lookupPrice(ctx.input.cloud_provider, t)?.gpuType));
  const accelerators = [
    ...new Set(
      [...ctx.gpuPools.map((p) => p.labels.accelerator), ...fallbackModels].filter((a): a is string => Boolean(a)),
    ),
  ];
  const selector = { "app.kubernetes.io/name": devicePluginName };
  // Every taint of every GPU pool, the cloud's own (AKS spot) included, or the plugin never reaches those nodes.
  const gpuTolerations = [
    ...new Map(ctx.gpuPools.flatMap((p) => poolTaints(ctx.input, p)).map((t) => [`${t.key}:${t.effect}`, t])).values(),
  ];
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: devicePluginName, namespace: devicePluginNamespace, labels: labelsFor(ctx, devicePluginName) },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%" } },
      template: {
        metadata: { labels: labelsFor(ctx, devicePluginName) },
        spec: {
          priorityClassName: "system-node-critical",
          automountServiceAccountToken: false,
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          tolerations: [
            { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
            ...gpuTolerations
              .filter((t) => t.key !== "nvidia.com/gpu")
              .map((t) => ({ key: t.key, operator: "Exists", effect: t.effect })),
          ],
          ...(accelerators.length
            ? {
                affinity: {
                  nodeAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: {
                      nodeSelectorTerms: [
                        { matchExpressions: [{ key: "accelerator", operator: "In", values: accelerators }] },
                      ],
                    },
                  },
                },
              }
            : {}),
          containers: [
            {
              name: "nvidia-device-plugin",
              image: devicePluginImage,
              env: [{ name: "FAIL_ON_INIT_ERROR", value: "false" }],
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
              // Registration writes a socket the kubelet owns (root), so this container cannot run as non-root.
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [{ name: "device-plugin", mountPath: "/var/lib/kubelet/device-plugins" }],
            },
          ],
          volumes: [
            { name: "device-plugin", hostPath: { path: "/var/lib/kubelet/device-plugins", type: "Directory" } },
          ],
        },
      },
    },
  };
}

// Namespaces with Pod Security Admission labels: workloads enforce "restricted"; the device plugin namespace
// has to allow its hostPath mount, so it enforces "privileged" but still warns and audits against "restricted".
import type { KubernetesObject } from "@/lib/k8s/types";
import { labelsFor, type PlanContext } from "./plan-context";

export const devicePluginNamespace = "nvidia-device-plugin";

export function buildNamespace(
  ctx: PlanContext,
  name: string,
  enforce: "restricted" | "baseline" | "privileged" = "restricted",
): KubernetesObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...labelsFor(ctx, name),
        "pod-security.kubernetes.io/enforce": enforce,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
    },
  };
}

// Service account tokens mounted into pods. The pod's own setting wins over its ServiceAccount's.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "./types";
import { makeFinding } from "./check-catalog";
import type { PodSpecLocation } from "./pod-specs";

export function serviceAccountAutomount(objects: readonly KubernetesObject[]): Map<string, unknown> {
  const settings = new Map<string, unknown>();
  for (const object of objects) {
    if (object.kind === "ServiceAccount")
      settings.set(`${object.metadata.namespace ?? ""}/${object.metadata.name}`, object.automountServiceAccountToken);
  }
  return settings;
}

export function checkServiceAccountToken(
  pod: PodSpecLocation,
  accountSettings: Map<string, unknown>,
): SecurityFinding[] {
  const podSetting = pod.spec.automountServiceAccountToken;
  const accountName = typeof pod.spec.serviceAccountName === "string" ? pod.spec.serviceAccountName : "default";
  const accountSetting = accountSettings.get(`${pod.object.metadata.namespace ?? ""}/${accountName}`);
  const path = `${pod.path}.automountServiceAccountToken`;
  if (podSetting === false || (podSetting === undefined && accountSetting === false)) return [];
  if (podSetting === true || (podSetting === undefined && accountSetting === true)) {
    return [
      makeFinding(
        "sa.automount-token-explicit",
        pod.object,
        path,
        `The pod mounts a token for service account ${accountName} on purpose.`,
      ),
    ];
  }
  return [
    makeFinding(
      "sa.automount-token",
      pod.object,
      path,
      `The pod gets a token for service account ${accountName} by default.`,
    ),
  ];
}

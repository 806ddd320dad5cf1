// Services the workloads' autoscalers read from are installed: a KEDA redis trigger whose Redis nothing in the
// plan or the cluster provides errors on every poll, and the batch workers it would start have no queue.
import type { KubernetesObject } from "@/lib/k8s/types";
import type { SecurityFinding } from "@/lib/security/types";
import { asArray, asRecord } from "@/lib/security/pod-specs";
import { viabilityFinding } from "./catalog";
import type { ViabilityFacts } from "./facts";
import { refName } from "./pods";

export function checkRedisProvided(objects: readonly KubernetesObject[], facts: ViabilityFacts): SecurityFinding[] {
  if (!facts.providedServices) return [];
  const provided = new Set(facts.providedServices);
  const findings: SecurityFinding[] = [];
  for (const scaler of objects.filter((o) => o.kind === "ScaledJob" || o.kind === "ScaledObject")) {
    asArray(asRecord(scaler.spec)?.triggers).forEach((t, i) => {
      const trigger = asRecord(t) ?? {};
      if (trigger.type !== "redis") return;
      const address = String(asRecord(trigger.metadata)?.address ?? "");
      const host = address.split(":")[0] ?? "";
      const inSet = objects.some(
        (o) => o.kind === "Service" && host.startsWith(`${o.metadata.name}.${o.metadata.namespace ?? ""}.`),
      );
      if (provided.has(address) || inSet) return;
      findings.push(
        viabilityFinding(
          "viability.exporter-not-installed",
          scaler,
          `spec.triggers[${i}].metadata.address`,
          `${refName(scaler)} reads the queue at ${address}, which neither the plan nor the cluster provides.`,
          `Install Redis at ${address} (the plan's addons do for the default address), or point autoscaling.redis_address at an existing Redis.`,
        ),
      );
    });
  }
  return findings;
}

// Cost guardrails for the workload namespace: a GPU ResourceQuota sized to the node pool's maximum and default
// requests/limits so pods without them cannot pack nodes unpredictably.
import type { KubernetesObject } from "@/lib/k8s/types";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { labelsFor, type PlanContext } from "./plan-context";

export function buildCostGuardrails(ctx: PlanContext): KubernetesObject[] {
  const { input } = ctx;
  const namespace = ctx.workloadNamespace;
  const gpusPerNode = lookupPrice(input.cloud_provider, ctx.workloadPool.instance_type)?.gpuCount ?? 0;
  return [
    {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "gpu-quota", namespace, labels: labelsFor(ctx, "cost-guardrails") },
      spec: { hard: { "requests.nvidia.com/gpu": String(gpusPerNode * ctx.workloadPool.max_nodes) } },
    },
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "container-defaults", namespace, labels: labelsFor(ctx, "cost-guardrails") },
      spec: {
        limits: [{ type: "Container", defaultRequest: { cpu: "500m", memory: "1Gi" }, default: { memory: "2Gi" } }],
      },
    },
  ];
}

// What the plan engine generates must go through the real apply path: dry-run, apply, a repeat that changes
// nothing, and a drift check that finds nothing (no false drift from defaults or client-node's models).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generatePlan } from "@/lib/plans/generate-plan";
import { type PlanInputDraft, planInputSchema } from "@/lib/plans/schema";
import type { KubernetesApiDouble } from "@/test-support/k8s-api-double/kubernetes-api-double";
import { startDoubleWithClient } from "@/test-support/k8s-api-double/start-double-with-client";
import { applyObjects } from "./apply-objects.server";
import type { KubernetesClient } from "./create-client.server";
import { checkDrift } from "./drift.server";

let double: KubernetesApiDouble;
let client: KubernetesClient;
beforeEach(async () => {
  ({ double, client } = await startDoubleWithClient());
});
afterEach(() => double.close());

const drafts: Array<[string, PlanInputDraft]> = [
  [
    "distributed training",
    { infrastructure_task: "cluster_setup", workload_type: "training", training: { nodes: 3, gpus_per_node: 8 } },
  ],
  ["inference auto-scaling", { infrastructure_task: "auto_scaling", workload_type: "inference" }],
  ["cost optimization", { infrastructure_task: "cost_optimization", workload_type: "inference" }],
  ["disaster recovery", { infrastructure_task: "disaster_recovery", workload_type: "inference" }],
];

describe.each(drafts)("the %s plan", (_name, draft) => {
  it("applies cleanly, re-applies as unchanged and shows no drift", async () => {
    // A cluster that runs Velero has its namespace; the plan adds Velero objects, not Velero itself.
    double.state.putSystemObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: "velero" } });
    const plan = await generatePlan(planInputSchema.parse(draft));
    const objects = plan.deployment_manifests;
    expect(objects.length).toBeGreaterThan(0);
    const first = await applyObjects(client, objects, {
      fieldManager: "ml-portal",
      retry: { sleep: async () => undefined },
    });
    const failures = [...first.dryRun, ...first.applied].filter((r) => r.outcome === "failed").map((r) => r.message);
    expect(failures).toEqual([]);
    expect(first.applied.every((r) => r.outcome === "created")).toBe(true);

    const second = await applyObjects(client, objects, { fieldManager: "ml-portal" });
    expect(second.applied.filter((r) => r.outcome !== "unchanged").map((r) => r.message)).toEqual([]);

    const drift = await checkDrift(client, objects);
    expect(
      drift.objects.filter((o) => o.status !== "in_sync").map((o) => ({ ref: o.ref, differences: o.differences })),
    ).toEqual([]);
  });
});

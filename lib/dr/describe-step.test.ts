import { describe, expect, it } from "vitest";
import { liveLockKey, namespacesTouchedByPlan, protectedNamespacesTouched, renderDryRun } from "./describe-step";
import { drPlanInput } from "./schema";
import { drTemplates } from "./templates";

const plan = drPlanInput.parse({
  key: "scratch",
  name: "Scratch restore",
  scope: { clusterTargetId: null, namespaces: ["ml-inference"] },
  rtoMinutes: 10,
  rpoMinutes: 60,
  steps: [
    { name: "verify", type: "verify_backup", selector: "app=ml-platform", timeoutSeconds: 30 },
    { name: "restore", type: "create_restore", backupFrom: "latest-verified", namespaceMapping: { "ml-inference": "ml-inference-drill" }, timeoutSeconds: 60, rollback: { type: "manual", instruction: "delete the scratch namespace", command: "kubectl delete ns ml-inference-drill" } },
    { name: "scale", type: "scale", deployment: "model-server", namespace: "ml-inference", replicas: 2, timeoutSeconds: 60 },
  ],
});

describe("renderDryRun", () => {
  it("says step by step what would happen, with timeouts, rollbacks and operator waits", () => {
    const lines = renderDryRun(plan);
    expect(lines.map((l) => l.wouldDo)).toEqual([
      "List Velero Backups in velero matching app=ml-platform; use the newest Completed one as the recovery point",
      "Wait for the backup's storage location to be Available and the backup to be synced, create a Velero Restore from the backup found by verify_backup into ml-inference→ml-inference-drill with existingResourcePolicy update, and wait for a terminal phase (Completed, PartiallyFailed, Failed, FailedValidation) with items restored",
      "Scale Deployment ml-inference/model-server to 2 replicas",
    ]);
    expect(lines[1]).toMatchObject({ waitsForOperator: true, namespaces: ["ml-inference-drill"] });
    expect(lines[1].rollback).toContain("`kubectl delete ns ml-inference-drill`");
  });

  it("renders every template without throwing and one line per step", () => {
    for (const t of drTemplates()) expect(renderDryRun(t)).toHaveLength(t.steps.length);
  });
});

describe("guardrails", () => {
  it("counts restore targets as touched namespaces", () => {
    expect(namespacesTouchedByPlan(plan)).toEqual(["ml-inference", "ml-inference-drill"]);
  });
  it("finds the protected namespaces a live run would touch", () => {
    expect(protectedNamespacesTouched(plan, ["kube-system", "ml-inference-drill"])).toEqual(["ml-inference-drill"]);
    expect(protectedNamespacesTouched(plan, ["kube-system"])).toEqual([]);
  });
  it("locks per plan key and cluster", () => {
    expect(liveLockKey("a", "c1")).not.toBe(liveLockKey("a", "c2"));
    expect(liveLockKey("a", "c1")).not.toBe(liveLockKey("b", "c1"));
  });
});

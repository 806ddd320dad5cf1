import { describe, expect, it } from "vitest";
import {
  destructiveSteps,
  liveLockKey,
  namespacesTouchedByPlan,
  protectedNamespacesTouched,
  renderDryRun,
} from "./describe-step";
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
    {
      name: "restore",
      type: "create_restore",
      backupFrom: "latest-verified",
      namespaceMapping: { "ml-inference": "ml-inference-drill" },
      timeoutSeconds: 60,
      rollback: {
        type: "manual",
        instruction: "delete the scratch namespace",
        command: "kubectl delete ns ml-inference-drill",
      },
    },
    {
      name: "scale",
      type: "scale",
      deployment: "model-server",
      namespace: "ml-inference",
      replicas: 2,
      timeoutSeconds: 60,
    },
  ],
});

describe("renderDryRun", () => {
  it("says step by step what would happen, with timeouts, rollbacks and operator waits", () => {
    const lines = renderDryRun(plan);
    expect(lines.map((l) => l.wouldDo)).toEqual([
      "List Velero Backups in velero matching app=ml-platform; use the newest Completed one started before the drill as the recovery point",
      "Wait for the backup's storage location to be Available and the backup to be synced, create a Velero Restore from the backup found by verify_backup into ml-inference→ml-inference-drill with existingResourcePolicy update, and wait for a terminal phase (Completed, PartiallyFailed, Failed, FailedValidation) with items restored",
      "Scale Deployment ml-inference/model-server to 2 replicas",
    ]);
    expect(lines[1]).toMatchObject({ waitsForOperator: true, namespaces: ["ml-inference-drill"] });
    expect(lines[1]!.rollback).toContain("`kubectl delete ns ml-inference-drill`");
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

describe("destructiveSteps", () => {
  it("lists what a live run destroys or replaces, with its target, for the confirmation dialog", () => {
    const byKey = Object.fromEntries(
      drTemplates({ recoveryClusterTargetId: "c-dr" }).map((t) => [t.key, destructiveSteps(t)]),
    );
    expect(byKey.data_loss!.map((d) => d.effect)).toEqual([
      "delete namespace ml-inference and everything in it",
      "overwrite ml-inference from a Velero backup (existingResourcePolicy update)",
    ]);
    expect(byKey.model_corruption!.map((d) => d.effect)).toEqual([
      "roll out Deployment ml-inference/model-server with the model reference registry.invalid/ml-platform/corrupt-model:dr-drill (a corrupt model)",
      "roll Deployment ml-inference/model-server back to its previous revision",
    ]);
    expect(byKey.cluster_failure).toEqual([
      {
        index: 3,
        name: "Stop serving on the primary",
        effect: "scale Deployment ml-inference/model-server to 0 replicas",
      },
      {
        index: 6,
        name: "Restore from Velero backup",
        effect:
          "overwrite ml-training, ml-inference, mlflow, feast from a Velero backup (existingResourcePolicy update)",
        clusterTargetId: "c-dr",
      },
    ]);
  });
});

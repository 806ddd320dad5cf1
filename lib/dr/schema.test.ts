import { describe, expect, it } from "vitest";
import { drPlanInput, drStep, editPlanInput, type DrPlanInput } from "./schema";
import { drTemplateInputs, drTemplates } from "./templates";

const base = (): DrPlanInput => ({
  key: "restore_drill",
  name: "Restore drill",
  scope: { clusterTargetId: "c1", namespaces: ["ml-inference"] },
  rtoMinutes: 15,
  rpoMinutes: 60,
  steps: [
    { name: "verify", type: "verify_backup", selector: "app=ml-platform", timeoutSeconds: 30 },
    {
      name: "restore",
      type: "create_restore",
      backupFrom: "latest-verified",
      namespaceMapping: { "ml-inference": "ml-inference-drill" },
      timeoutSeconds: 60,
    },
    { name: "health", type: "http_health_check", url: "http://127.0.0.1:8080/health", timeoutSeconds: 30 },
  ],
});

const issuesOf = (input: unknown) => {
  const r = drPlanInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("plan schema", () => {
  it("accepts a plan with typed steps and fills defaults", () => {
    const plan = drPlanInput.parse(base());
    expect(plan.steps[0]).toMatchObject({ type: "verify_backup", veleroNamespace: "velero" });
    expect(plan.allowRestoreWarnings).toBe(false);
    expect(plan.schedule).toBeNull();
  });

  // Which URLs a health check may fetch is the admin's URL allow-list, not the plan's: a plan that still carries
  // its former allow-list is read without it, so the field grants nothing.
  it("drops a stored healthCheckAllowList instead of trusting it", () => {
    const plan = drPlanInput.parse({ ...base(), healthCheckAllowList: ["http://169.254.169.254/"] });
    expect(plan).not.toHaveProperty("healthCheckAllowList");
  });

  it("refuses healthCheckAllowList in an edit, saying where health-check URLs are allowed now", () => {
    const r = editPlanInput.safeParse({ healthCheckAllowList: ["http://127.0.0.1:8080/"] });
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      expect.stringMatching(/^healthCheckAllowList: .*URL allow-list in Settings/),
    ]);
  });

  it("fills no defaults into an edit, so an absent field stays as stored", () => {
    expect(editPlanInput.parse({ name: "Renamed" })).toEqual({ name: "Renamed", changeNote: "" });
    expect(editPlanInput.parse({ scope: { namespaces: ["ml-inference"] } })).toEqual({
      scope: { namespaces: ["ml-inference"] },
      changeNote: "",
    });
  });

  it.each([
    ["a shell string as a step type", { name: "x", type: "shell", command: "rm -rf /", timeoutSeconds: 1 }],
    ["a missing timeout", { name: "x", type: "scale", deployment: "a", namespace: "ml-inference", replicas: 1 }],
    ["an injected selector", { name: "x", type: "verify_backup", selector: "app=x; rm -rf /", timeoutSeconds: 5 }],
    [
      "an upper-case deployment name",
      { name: "x", type: "rollout_undo", deployment: "Model", namespace: "ml-inference", timeoutSeconds: 5 },
    ],
    [
      "a negative replica count",
      { name: "x", type: "scale", deployment: "a", namespace: "ml-inference", replicas: -1, timeoutSeconds: 5 },
    ],
    ["a timeout over a day", { name: "x", type: "manual", instruction: "do it", timeoutSeconds: 90_000 }],
  ])("refuses %s", (_label, step) => {
    expect(drStep.safeParse(step).success).toBe(false);
  });

  it("refuses steps acting on namespaces outside the scope", () => {
    const input = base();
    input.steps.push({
      name: "scale",
      type: "scale",
      deployment: "api",
      namespace: "kube-system",
      replicas: 0,
      timeoutSeconds: 10,
    });
    expect(issuesOf(input)).toEqual([expect.stringContaining("namespace kube-system is outside the plan's scope")]);
  });

  it("refuses a restore from the verified backup without an earlier verify step", () => {
    const input = base();
    input.steps = input.steps.slice(1);
    expect(issuesOf(input)).toEqual([
      expect.stringMatching(/^steps\.0\.backupFrom: "latest-verified" needs an earlier verify_backup step/),
    ]);
  });

  it.each([
    ["0 3 * * 1", true],
    ["*/15 * * * *", true],
    ["0 0 1 jan,jul *", true],
    ["0 3 * *", false],
    ["61 * * * *", false],
    ["0 3 * * 1; curl x", false],
  ])("cron %s valid=%s", (schedule, valid) => {
    expect(drPlanInput.safeParse({ ...base(), schedule }).success).toBe(valid);
  });
});

describe("scheduled plans", () => {
  it("refuse a schedule on a plan with manual steps or manual rollbacks, naming the field and the fix", () => {
    const manual = {
      ...base(),
      schedule: "0 3 * * 1",
      steps: [
        ...base().steps,
        { name: "Smoke tests", type: "manual" as const, instruction: "run them", timeoutSeconds: 60 },
      ],
    };
    expect(issuesOf(manual)).toEqual([
      "schedule: a scheduled drill runs unattended, but steps 4 (Smoke tests) need an operator: remove the schedule (run this plan by hand) or replace the manual steps",
    ]);
    const steps = base().steps.map((s, i) =>
      i === 1 ? { ...s, rollback: { type: "manual" as const, instruction: "undo by hand" } } : s,
    );
    expect(issuesOf({ ...base(), schedule: "0 3 * * 1", steps })).toEqual([
      expect.stringMatching(/^schedule: .*steps 2 \(restore\) need an operator/),
    ]);
    expect(issuesOf({ ...manual, schedule: null })).toEqual([]);
    expect(issuesOf({ ...base(), schedule: "0 3 * * 1" })).toEqual([]);
  });

  it("refuse waiting for a backup after the canary when no canary is written first", () => {
    const steps = [{ ...base().steps[0], recoveryPoint: "after_canary" as const }, ...base().steps.slice(1)];
    expect(issuesOf({ ...base(), steps })).toEqual([
      'steps.0.recoveryPoint: "after_canary" needs an earlier write_canary step: add one or use "before_drill"',
    ]);
  });
});

describe("recovery steps", () => {
  it("defaults restores to existingResourcePolicy update and backups to file-system backup at the default location", () => {
    const plan = drPlanInput.parse({
      ...base(),
      steps: [
        { name: "b", type: "create_backup", includedNamespaces: ["ml-inference"], timeoutSeconds: 60 },
        ...base().steps.slice(0, 2),
      ],
    });
    expect(plan.steps[0]).toMatchObject({
      storageLocation: "default",
      defaultVolumesToFsBackup: true,
      snapshotVolumes: false,
      always: false,
    });
    expect(plan.steps[2]).toMatchObject({ existingResourcePolicy: "update" });
  });

  it("deletes only scratch namespaces an earlier restore created", () => {
    const steps = base().steps;
    const cleanup = {
      name: "cleanup",
      type: "delete_scratch_namespace" as const,
      namespace: "ml-inference-drill",
      always: true,
      timeoutSeconds: 60,
    };
    expect(issuesOf({ ...base(), steps: [...steps, cleanup] })).toEqual([]);
    expect(issuesOf({ ...base(), steps: [cleanup, ...steps] })).toContain(
      "steps.0.namespace: namespace ml-inference-drill is not the namespaceMapping target of an earlier create_restore step: only scratch namespaces a restore created may be deleted",
    );
    expect(issuesOf({ ...base(), steps: [...steps, { ...cleanup, namespace: "ml-inference" }] })).toContain(
      "steps.3.namespace: namespace ml-inference is not the namespaceMapping target of an earlier create_restore step: only scratch namespaces a restore created may be deleted",
    );
  });

  it("keeps injected failures inside the plan's scope", () => {
    const inject = {
      name: "kill",
      type: "inject_failure" as const,
      failure: { kind: "delete_namespace" as const, namespace: "kube-system" },
      timeoutSeconds: 60,
    };
    expect(issuesOf({ ...base(), steps: [inject] })).toContain(
      "steps.0: namespace kube-system is outside the plan's scope: add it to scope.namespaces or change the step",
    );
  });
});

describe("templates", () => {
  it("ship the reference's three plans with their RTO/RPO targets", () => {
    const byKey = Object.fromEntries(drTemplates().map((t) => [t.key, [t.rtoMinutes, t.rpoMinutes]]));
    expect(byKey).toEqual({ cluster_failure: [60, 360], model_corruption: [15, 60], data_loss: [30, 1440] });
  });

  it("turn every outside-the-cluster command into a manual step that shows it", () => {
    const commands = drTemplates().flatMap((t) =>
      t.steps.filter((s) => s.type === "manual").map((s) => (s as { command?: string }).command),
    );
    expect(commands).toEqual(
      expect.arrayContaining([
        "terraform apply -target=module.eks",
        "helm upgrade --install -f values.yaml",
        "pytest tests/smoke/ -v",
      ]),
    );
  });

  it("record what working looks like, inject the failure, recover, and verify by content in that order", () => {
    const order = Object.fromEntries(
      drTemplates().map((t) => [
        t.key,
        t.steps.map((s) =>
          s.type === "model_probe"
            ? `probe:${s.golden}`
            : s.type === "inject_failure"
              ? `inject:${s.failure.kind}`
              : s.type,
        ),
      ]),
    );
    expect(order.model_corruption).toEqual([
      "probe:record",
      "inject:corrupt_model",
      "rollout_undo",
      "wait_pods_ready",
      "probe:verify",
      "roll_forward",
    ]);
    expect(order.data_loss).toEqual([
      "probe:record",
      "write_canary",
      "verify_backup",
      "inject:delete_namespace",
      "create_restore",
      "verify_canary",
      "wait_pods_ready",
      "probe:verify",
      "cleanup",
    ]);
    expect(order.cluster_failure).toEqual([
      "probe:record",
      "write_canary",
      "verify_backup",
      "inject:scale_to_zero",
      "manual",
      "manual",
      "create_restore",
      "verify_canary",
      "wait_pods_ready",
      "probe:verify",
      "manual",
      "roll_forward",
      "cleanup",
    ]);
    // The recovery point is the schedule's next backup after the canary, restored as such; the drill makes no backup.
    for (const t of drTemplates().filter((t) => t.key !== "model_corruption")) {
      expect(t.steps.find((s) => s.type === "verify_backup")).toMatchObject({ recoveryPoint: "after_canary" });
      expect(t.steps.find((s) => s.type === "create_restore")).toMatchObject({ backupFrom: "latest-verified" });
      expect(t.steps.some((s) => s.type === "create_backup")).toBe(false);
      expect(t.steps.filter((s) => s.type === "cleanup").every((s) => s.always)).toBe(true);
    }
    // Roll-forward runs even after a failure; model_corruption has no manual step, so it may run on a schedule.
    expect(drTemplates().flatMap((t) => t.steps.filter((s) => s.type === "roll_forward").map((s) => s.always))).toEqual(
      [true, true],
    );
    expect(
      drTemplates()
        .find((t) => t.key === "model_corruption")!
        .steps.some((s) => s.type === "manual"),
    ).toBe(false);
  });

  it("bind cluster_failure's recovery steps to the recovery cluster when given one", () => {
    const t = drPlanInput.parse(drTemplateInputs({ recoveryClusterTargetId: "c-dr" }).cluster_failure);
    expect(t.steps.filter((s) => s.clusterTargetId === "c-dr").map((s) => s.name)).toEqual([
      "Restore from Velero backup",
      "Verify canary data",
      "Wait for the model server's pods",
      "Verify model predictions",
      "Remove the canary, the drill's Jobs and the restored copy from the recovery cluster",
    ]);
    expect(t.steps.at(-1)).toMatchObject({
      type: "cleanup",
      always: true,
      restoredNamespaces: ["ml-training", "ml-inference", "mlflow", "feast"],
    });
  });

  it("refuse a cluster_failure bound to a cluster whose restore has no recovery cluster, naming the field", () => {
    const t = drTemplateInputs().cluster_failure;
    const r = drPlanInput.safeParse({ ...t, scope: { ...t.scope, clusterTargetId: "c-primary" } });
    expect(r.success).toBe(false);
    const restoreAt = t.steps.findIndex((s) => s.type === "create_restore");
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        path: ["steps", restoreAt, "clusterTargetId"],
        message: expect.stringContaining("must run on the recovery cluster"),
      }),
    ]);
  });

  it("refuse a cluster_failure restoring on its own primary cluster, and accept another cluster", () => {
    const onPrimary = drTemplateInputs({ recoveryClusterTargetId: "c-primary" }).cluster_failure;
    const bound = { ...onPrimary, scope: { ...onPrimary.scope, clusterTargetId: "c-primary" } };
    expect(drPlanInput.safeParse(bound).error?.issues[0]).toMatchObject({
      path: ["steps", onPrimary.steps.findIndex((s) => s.type === "create_restore"), "clusterTargetId"],
      message: expect.stringContaining("is the plan's own (primary) cluster"),
    });
    const elsewhere = drTemplateInputs({ recoveryClusterTargetId: "c-dr" }).cluster_failure;
    expect(
      drPlanInput.safeParse({ ...elsewhere, scope: { ...elsewhere.scope, clusterTargetId: "c-primary" } }).success,
    ).toBe(true);
  });

  it("refuse a model probe URL outside the cluster", () => {
    const t = drTemplateInputs().model_corruption;
    const steps = [{ ...t.steps[0], url: "https://example.com/v1/completions" }, ...t.steps.slice(1)];
    const r = drPlanInput.safeParse({ ...t, steps });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({
      path: ["steps", 0, "url"],
      message: expect.stringContaining("must be a cluster-internal Service URL"),
    });
  });
});

describe("sandbox template options", () => {
  it("point the templates at the sandbox's llm-server Service, deployment and backup schedule", async () => {
    const { sandboxTemplateOptions } = await import("./templates");
    const t = drPlanInput.parse(drTemplateInputs(sandboxTemplateOptions()).model_corruption);
    expect(t.steps.map((s) => ("url" in s ? s.url : "deployment" in s ? s.deployment : s.type))).toEqual([
      "http://llm-server.ml-inference.svc.cluster.local:8000/v1/completions",
      "inject_failure",
      "llm-server",
      "wait_pods_ready",
      "http://llm-server.ml-inference.svc.cluster.local:8000/v1/completions",
      "llm-server",
    ]);
    expect(drPlanInput.parse(drTemplateInputs(sandboxTemplateOptions()).data_loss).steps[2]).toMatchObject({
      selector: "velero.io/schedule-name=ml-inference-frequent",
      recoveryPoint: "after_canary",
      timeoutSeconds: 32 * 60,
    });
  });
});

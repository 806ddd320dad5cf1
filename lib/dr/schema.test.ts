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
    { name: "restore", type: "create_restore", backupFrom: "latest-verified", namespaceMapping: { "ml-inference": "ml-inference-drill" }, timeoutSeconds: 60 },
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
    expect(r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([expect.stringMatching(/^healthCheckAllowList: .*URL allow-list in Settings/)]);
  });

  it("fills no defaults into an edit, so an absent field stays as stored", () => {
    expect(editPlanInput.parse({ name: "Renamed" })).toEqual({ name: "Renamed", changeNote: "" });
    expect(editPlanInput.parse({ scope: { namespaces: ["ml-inference"] } })).toEqual({ scope: { namespaces: ["ml-inference"] }, changeNote: "" });
  });

  it.each([
    ["a shell string as a step type", { name: "x", type: "shell", command: "rm -rf /", timeoutSeconds: 1 }],
    ["a missing timeout", { name: "x", type: "scale", deployment: "a", namespace: "ml-inference", replicas: 1 }],
    ["an injected selector", { name: "x", type: "verify_backup", selector: "app=x; rm -rf /", timeoutSeconds: 5 }],
    ["an upper-case deployment name", { name: "x", type: "rollout_undo", deployment: "Model", namespace: "ml-inference", timeoutSeconds: 5 }],
    ["a negative replica count", { name: "x", type: "scale", deployment: "a", namespace: "ml-inference", replicas: -1, timeoutSeconds: 5 }],
    ["a timeout over a day", { name: "x", type: "manual", instruction: "do it", timeoutSeconds: 90_000 }],
  ])("refuses %s", (_label, step) => {
    expect(drStep.safeParse(step).success).toBe(false);
  });

  it("refuses steps acting on namespaces outside the scope", () => {
    const input = base();
    input.steps.push({ name: "scale", type: "scale", deployment: "api", namespace: "kube-system", replicas: 0, timeoutSeconds: 10 });
    expect(issuesOf(input)).toEqual([expect.stringContaining("namespace kube-system is outside the plan's scope")]);
  });

  it("refuses a restore from the verified backup without an earlier verify step", () => {
    const input = base();
    input.steps = input.steps.slice(1);
    expect(issuesOf(input)).toEqual([expect.stringMatching(/^steps\.0\.backupFrom: "latest-verified" needs an earlier verify_backup step/)]);
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

describe("templates", () => {
  it("ship the reference's three plans with their RTO/RPO targets", () => {
    const byKey = Object.fromEntries(drTemplates().map((t) => [t.key, [t.rtoMinutes, t.rpoMinutes]]));
    expect(byKey).toEqual({ cluster_failure: [60, 360], model_corruption: [15, 60], data_pipeline_failure: [30, 1440] });
  });

  it("turn every outside-the-cluster command into a manual step that shows it", () => {
    const commands = drTemplates().flatMap((t) => t.steps.filter((s) => s.type === "manual").map((s) => (s as { command?: string }).command));
    expect(commands).toEqual(expect.arrayContaining(["terraform apply -target=module.eks", "helm upgrade --install -f values.yaml", "feast apply --skip-source-validation"]));
  });
});

describe("sandbox template options", () => {
  it("point the templates at the sandbox's deployment, backup schedule and the portal's health endpoint", async () => {
    const { sandboxTemplateOptions } = await import("./templates");
    const t = drPlanInput.parse(drTemplateInputs(sandboxTemplateOptions("http://127.0.0.1:3100/")).model_corruption);
    expect(t.steps.find((s) => s.type === "http_health_check")).toMatchObject({ url: "http://127.0.0.1:3100/api/healthz" });
    expect(t.steps.map((s) => ("deployment" in s ? s.deployment : "selector" in s ? s.selector : s.type))).toEqual(["velero.io/schedule-name=daily-ml-inference", "manual", "llm-server", "http_health_check"]);
  });
});

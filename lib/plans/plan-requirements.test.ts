// The requires section lists what the plan's own objects and add-ons need, and nothing they do not.
import { describe, expect, it } from "vitest";
import { generatePlan } from "./generate-plan";
import { kedaChartVersion } from "./recovery-plans";
import { planInputSchema, type PlanInputDraft } from "./schema";

const plan = (draft: PlanInputDraft) => generatePlan(planInputSchema.parse(draft));
const names = (out: Awaited<ReturnType<typeof plan>>) => out.requires.map((r) => r.name);

describe("plan requirements", () => {
  it("an autoscaled inference plan on EKS needs KEDA with fallback behaviour, the Prometheus Operator with its selector settings, and Karpenter", async () => {
    const out = await plan({ infrastructure_task: "auto_scaling", cloud_provider: "aws", workload_type: "inference" });
    const keda = out.requires.find((r) => r.name === "KEDA");
    expect(keda).toMatchObject({ version: ">= 2.18", provided_by: "cluster" });
    expect(keda?.needed_by).toContain("ScaledObject/ml-inference/model-server-scaler");
    const prometheus = out.requires.find((r) => r.name.startsWith("Prometheus Operator"));
    const settings = Object.fromEntries((prometheus?.settings ?? []).map((s) => [s.key, s.value]));
    expect(settings).toMatchObject({
      "prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues": "false",
      "prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues": "false",
      "autoscaling.prometheus_address": out.deployment_manifests
        .filter((o) => o.kind === "ScaledObject")
        .map((o) => JSON.stringify(o.spec).match(/"serverAddress":"([^"]+)"/)?.[1])[0],
    });
    // The PodMonitor carries no release label, which is why the selector setting is listed.
    const podMonitor = out.deployment_manifests.find((o) => o.kind === "PodMonitor");
    expect(podMonitor?.metadata.labels?.release).toBeUndefined();
    expect(prometheus?.needed_by).toEqual(["PodMonitor/ml-inference/model-server", "helm/dcgm-exporter"]);
    expect(names(out)).toContain("Karpenter");
    expect(names(out)).toContain("NVIDIA DCGM exporter");
  });

  it("needs Karpenter 1.11 once an EC2NodeClass selects a placement group (EFA training)", async () => {
    const out = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "training",
      training: { nodes: 2 },
    });
    expect(JSON.stringify(out.deployment_manifests)).toContain("placementGroupSelector");
    expect(out.requires.find((r) => r.name === "Karpenter")?.version).toBe(">= 1.11");
  });

  it("a disaster-recovery plan needs Velero and its cloud's plugin, installed by the plan itself", async () => {
    const out = await plan({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "gcp",
      workload_type: "training",
    });
    expect(out.requires.filter((r) => r.name.startsWith("Velero"))).toMatchObject([
      { name: "Velero", version: "1.16.2 (chart 10.1.0)", provided_by: "plan" },
      { name: "Velero plugin velero-plugin-for-gcp", version: "1.12.2", provided_by: "plan" },
    ]);
    expect(names(out)).not.toContain("KEDA");
  });

  it("names the shared volumes' CSI driver only when a claim uses the shared class, and who provides it", async () => {
    const setup = await plan({
      infrastructure_task: "cluster_setup",
      cloud_provider: "aws",
      workload_type: "training",
    });
    expect(setup.requires.find((r) => r.kind === "csi-driver")).toMatchObject({
      provided_by: "plan",
      settings: [{ key: "storageClassName", value: "efs-sc" }],
    });
    const scaling = await plan({ infrastructure_task: "auto_scaling", cloud_provider: "aws", workload_type: "batch" });
    expect(scaling.requires.find((r) => r.kind === "csi-driver")?.provided_by).toBe("cluster");
    const cost = await plan({
      infrastructure_task: "cost_optimization",
      cloud_provider: "aws",
      workload_type: "batch",
    });
    expect(cost.requires.find((r) => r.kind === "csi-driver")).toBeUndefined();
  });

  it("GPU pods need the device plugin: the plan's own on EKS setup, GKE's on GKE, the GPU Operator on premises", async () => {
    const find = async (cloud: "aws" | "gcp" | "on_premise") =>
      (
        await plan({ infrastructure_task: "cluster_setup", cloud_provider: cloud, workload_type: "training" })
      ).requires.find((r) => r.kind === "device-plugin" || r.kind === "node-software");
    expect(await find("aws")).toMatchObject({ name: "NVIDIA device plugin", provided_by: "plan" });
    expect(await find("gcp")).toMatchObject({ name: "NVIDIA device plugin", provided_by: "cloud" });
    expect((await find("on_premise"))?.name).toMatch(/^NVIDIA GPU Operator/);
  });

  it("security hardening needs the External Secrets Operator serving external-secrets.io/v1", async () => {
    const out = await plan({
      infrastructure_task: "security_hardening",
      cloud_provider: "azure",
      workload_type: "inference",
    });
    expect(out.deployment_manifests.some((o) => o.apiVersion === "external-secrets.io/v1")).toBe(true);
    expect(out.requires.find((r) => r.name === "External Secrets Operator")?.version).toBe(">= 0.16");
  });

  it("lists the requirements in the debug checklist runbook", async () => {
    const out = await plan({ infrastructure_task: "auto_scaling", cloud_provider: "gcp", workload_type: "inference" });
    const checklist = out.runbooks[3] ?? "";
    expect(checklist).toContain("## Requirements");
    for (const r of out.requires) expect(checklist).toContain(`${r.name} ${r.version}`);
    expect(checklist).toContain("`prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues: false`");
  });
});

describe("who provides what", () => {
  it("AKS ships Azure Files itself; Redis is needed by the batch workers that pop its queue", async () => {
    const out = await generatePlan(
      planInputSchema.parse({ infrastructure_task: "cluster_setup", cloud_provider: "azure", workload_type: "batch" }),
    );
    expect(out.requires.find((r) => r.kind === "csi-driver")?.provided_by).toBe("cloud");
    expect(out.requires.find((r) => r.name.startsWith("Redis"))?.needed_by).toEqual(["Job/ml-batch/batch-inference"]);
  });
});

describe("claims of another plan", () => {
  it("the disaster-recovery plan's backup reader names the cluster plan's claims it mounts, and only those", async () => {
    const out = await plan({
      infrastructure_task: "disaster_recovery",
      cloud_provider: "gcp",
      workload_type: "training",
    });
    const reader = out.deployment_manifests.find((o) => o.metadata.name === "backup-volume-reader")!;
    expect(reader).toBeDefined();
    const claims = out.requires.find((r) => r.kind === "plan");
    expect(claims).toMatchObject({
      provided_by: "cluster",
      version: "cluster_setup",
      needed_by: ["Deployment/ml-training/backup-volume-reader"],
    });
    expect(claims!.settings.map((s) => [s.key, s.value])).toEqual([
      ["PersistentVolumeClaim/ml-training/distributed-training-checkpoints", "standard-rwx"],
    ]);
    expect(out.viability_report.findings.map((f) => f.check)).not.toContain("viability.unknown-claim");
  });

  it("a plan that creates what it mounts requires no other plan", async () => {
    const out = await plan({ infrastructure_task: "cluster_setup", cloud_provider: "gcp", workload_type: "training" });
    expect(out.requires.filter((r) => r.kind === "plan")).toEqual([]);
  });

  it("asks for a KEDA whose fallback covers Value-type triggers, and the recovery installs one", async () => {
    // KEDA before 2.18 disables fallback for triggers whose metric target type is Value.
    const minor = (v: string) => {
      const [, major, min] = /^(?:>= )?(\d+)\.(\d+)/.exec(v)!;
      return Number(major) * 1000 + Number(min);
    };
    let checked = 0;
    for (const workload_type of ["inference", "streaming"] as const) {
      const out = await plan({ infrastructure_task: "auto_scaling", cloud_provider: "gcp", workload_type });
      const scaled = out.deployment_manifests.filter((o) => o.kind === "ScaledObject");
      const valueTriggers = JSON.stringify(scaled.filter((o) => JSON.stringify(o.spec).includes('"fallback"')));
      if (!valueTriggers.includes('"metricType":"Value"')) continue;
      const keda = out.requires.find((r) => r.name === "KEDA");
      expect(minor(keda!.version), workload_type).toBeGreaterThanOrEqual(2018);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    expect(minor(kedaChartVersion)).toBeGreaterThanOrEqual(2018);
  });
});

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generatePlan } from "@/lib/plans/generate-plan";
import { planInputSchema } from "@/lib/plans/schema";
import { defaultTitle, requestKinds } from "@/lib/requests/request-kinds";
import { decodeDraft, encodeDraft } from "@/lib/requests/draft-link";
import {
  defaultInputFor,
  formFieldFromApiPath,
  initialInput,
  mergeDraft,
  cloudDefaults,
  nodePoolsAfterChange,
  titleAfterChange,
  sectionsForKind,
} from "./request-form-model";
import { infrastructureFiles, manifestsYaml } from "./plan-yaml";

describe("defaults", () => {
  it.each(requestKinds)("%s: the default input passes the plan schema unchanged", (kind) => {
    const input = defaultInputFor(kind);
    expect(planInputSchema.safeParse(input).success).toBe(true);
    expect(input.node_pools.length).toBeGreaterThan(0);
  });

  it.each(requestKinds)(
    "%s: the form's starting input generates a plan (the preview is never empty at first)",
    async (kind) => {
      const plan = await generatePlan(planInputSchema.parse(initialInput(kind, null)));
      expect(plan.deployment_manifests.length).toBeGreaterThan(0);
      expect(plan.cost_estimate.totals.expected).toBeGreaterThan(0);
    },
  );

  it("an inference scaling request is forced to the inference workload and the auto_scaling task", () => {
    const input = initialInput("inference_scaling", { workload_type: "training" });
    expect(input.workload_type).toBe("inference");
    expect(input.infrastructure_task).toBe("auto_scaling");
  });

  it.each(requestKinds)("%s shows where it runs first and at least one kind-specific section", (kind) => {
    const sections = sectionsForKind(kind);
    expect(sections[0]).toBe("basics");
    expect(sections.length).toBeGreaterThan(1);
  });
});

describe("drafts in the URL", () => {
  it("round-trips a draft with non-ASCII text through base64url", () => {
    const draft = { cluster_name: "gpu-prod", scale_requirements: { max_replicas: 12 }, note: "café ☕" };
    const encoded = encodeDraft(draft);
    expect(encoded).not.toMatch(/[+/=]/);
    expect(decodeDraft(encoded)).toEqual(draft);
  });

  it.each([["not base64 !!"], [encodeDraft([1, 2] as unknown as Record<string, unknown>)], [""], [null]])(
    "refuses %j",
    (value) => {
      expect(decodeDraft(value)).toBeNull();
    },
  );

  it("lays the draft over the defaults object by object and keeps the rest", () => {
    const input = initialInput("inference_scaling", { scale_requirements: { max_replicas: 7 } });
    expect(input.scale_requirements).toEqual({ min_replicas: 1, max_replicas: 7, target_gpu_utilization: 0.8 });
    expect(input.model_server?.port).toBe(8080);
  });

  it("a draft on another cloud starts from that cloud's node pools", () => {
    const input = initialInput("node_pool", { cloud_provider: "gcp" });
    expect(input.region).toBe("us-central1");
    expect(input.node_pools?.map((p) => p.instance_type)).toContain("a2-highgpu-8g");
    const inference = initialInput("node_pool", { cloud_provider: "gcp", workload_type: "inference" });
    expect(inference.node_pools?.map((p) => p.instance_type)).toEqual(["g2-standard-4"]);
  });

  it("arrays in the draft replace the default array", () => {
    expect(mergeDraft({ a: [1, 2, 3], b: { c: 1, d: 2 } }, { a: [9], b: { d: 5 } })).toEqual({
      a: [9],
      b: { c: 1, d: 5 },
    });
  });
});

describe("API error paths to form fields", () => {
  it.each([
    ["input.scale_requirements.max_replicas", "input.scale_requirements.max_replicas"],
    ["input.node_pools[0].max_nodes", "input.node_pools.0.max_nodes"],
    ["title", "title"],
    ["(root)", null],
    ["", null],
  ])("%s → %s", (path, field) => {
    expect(formFieldFromApiPath(path)).toBe(field);
  });
});

describe("preview text", () => {
  it("writes one YAML document per manifest that parses back to the same objects", () => {
    const objects = [
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "b", namespace: "a" } },
    ];
    const text = manifestsYaml(objects);
    const docs = text.split(/^---$/m).map((d) => parse(d));
    expect(docs).toEqual(objects);
  });

  it("puts apiVersion, kind and metadata first whatever order the stored JSON has", () => {
    const text = manifestsYaml([
      { spec: { replicas: 1 }, metadata: { namespace: "a", name: "x" }, kind: "Deployment", apiVersion: "apps/v1" },
    ]);
    expect(text.split("\n").slice(0, 5)).toEqual([
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata:",
      "  name: x",
      "  namespace: a",
    ]);
  });

  it("lists Terraform files by name and nothing when the plan has no cluster part", () => {
    expect(
      infrastructureFiles({
        cluster: { kind: "terraform", target: "eks", files: { "main.tf": "x", "variables.tf": "y" } },
      }),
    ).toEqual({
      kind: "terraform",
      files: [
        { name: "main.tf", content: "x" },
        { name: "variables.tf", content: "y" },
      ],
    });
    expect(infrastructureFiles({ task: "auto_scaling" })).toEqual({ kind: "none", files: [] });
  });

  it("lists a disaster-recovery plan's recovery files under the paths its steps name", () => {
    expect(
      infrastructureFiles({
        task: "disaster_recovery",
        recovery_files: { "cluster/main.tf": "x", "velero-values.yaml": "y" },
      }),
    ).toEqual({
      kind: "recovery",
      files: [
        { name: "cluster/main.tf", content: "x" },
        { name: "velero-values.yaml", content: "y" },
      ],
    });
  });
});

describe("nodePoolsAfterChange", () => {
  it("moves untouched defaults to the new kind's pools, and starts from the same pools the form shows", () => {
    const start = defaultInputFor("inference_scaling");
    expect(start.node_pools.map((p) => p.name)).toEqual(["inference"]);
    const toTraining = nodePoolsAfterChange(
      start.node_pools,
      "aws",
      { kind: "inference_scaling" },
      { kind: "training_job" },
    );
    expect(toTraining?.map((p) => p.name)).toEqual(["cpu-training", "gpu-training"]);
    expect(toTraining).toEqual(defaultInputFor("training_job").node_pools);
    expect(
      nodePoolsAfterChange(toTraining, "aws", { kind: "training_job" }, { kind: "inference_scaling" })?.map(
        (p) => p.name,
      ),
    ).toEqual(["inference"]);
  });

  it("gives a GPU cluster the pools of its workload, and follows the workload while untouched", () => {
    // An inference cluster brought cpu-training and a p4d gpu-training pool it never runs (issue 16).
    const inference = cloudDefaults("aws", "gpu_cluster", "inference").node_pools;
    expect(inference.map((p) => p.name)).toEqual(["inference"]);
    const training = nodePoolsAfterChange(
      inference,
      "aws",
      { kind: "gpu_cluster", workload: "inference" },
      { kind: "gpu_cluster", workload: "training" },
    );
    expect(training?.map((p) => p.name)).toEqual(["cpu-training", "gpu-training"]);
    expect(defaultInputFor("gpu_cluster").node_pools.map((p) => p.name)).toEqual(["cpu-training", "gpu-training"]);
    expect(
      nodePoolsAfterChange(
        training,
        "aws",
        { kind: "gpu_cluster", workload: "training" },
        { kind: "node_pool", workload: "training" },
      ),
    ).toBeNull();
  });

  it("keeps node pools the requester edited", () => {
    const edited = defaultInputFor("inference_scaling").node_pools.map((p) => ({ ...p, max_nodes: 7 }));
    expect(nodePoolsAfterChange(edited, "aws", { kind: "inference_scaling" }, { kind: "training_job" })).toBeNull();
  });
});

describe("titleAfterChange", () => {
  it("follows the inputs while the title is the previous default, and keeps a title the requester wrote", () => {
    const before = defaultTitle("gpu_cluster", { workload_type: "inference" });
    const after = defaultTitle("gpu_cluster", { workload_type: "training" });
    expect(titleAfterChange(before, before, after)).toBe("GPU cluster (training) on ml-production");
    expect(titleAfterChange("Serve llama", before, after)).toBeNull();
    expect(titleAfterChange(after, after, after)).toBeNull();
  });
});

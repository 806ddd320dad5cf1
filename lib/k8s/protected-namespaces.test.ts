import { describe, expect, it } from "vitest";
import { planInputSchema } from "@/lib/plans/schema";
import { protectedNamespaceFieldErrors } from "@/lib/requests/request-namespaces";
import { protectedNamespaceIssues } from "./protected-namespaces";

describe("protectedNamespaceIssues", () => {
  it.each<[string, Record<string, string>, string[], string[]]>([
    [
      "kube-system as the inference namespace",
      { inference: "kube-system", training: "ml-training" },
      [],
      ["namespaces.inference"],
    ],
    [
      "every Kubernetes system namespace, on any cluster",
      { a: "kube-public", b: "kube-node-lease", c: "default" },
      [],
      ["namespaces.a", "namespaces.b", "namespaces.c"],
    ],
    ["a namespace the cluster protects", { inference: "velero" }, ["kube-system", "velero"], ["namespaces.inference"]],
    ["own namespaces", { inference: "ml-inference", training: "ml-training" }, ["velero"], []],
  ])("%s", (_name, namespaces, clusterProtected, paths) => {
    expect(protectedNamespaceIssues(namespaces, clusterProtected).map((i) => i.path)).toEqual(paths);
  });

  it("names the field, the cluster and the fix", () => {
    const [issue] = protectedNamespaceIssues({ inference: "velero" }, ["velero"], "sandbox");
    expect(issue!.message).toBe(
      'namespaces.inference is "velero", which is protected on cluster "sandbox": use another namespace, or ask a platform admin',
    );
  });
});

describe("protectedNamespaceFieldErrors (a request's stored input)", () => {
  it("gives paths under input., and nothing for an input without namespaces", () => {
    expect(
      protectedNamespaceFieldErrors(
        { namespaces: { inference: "kube-system" } },
        { name: "c", protectedNamespaces: [] },
      ).map((f) => f.path),
    ).toEqual(["input.namespaces.inference"]);
    expect(protectedNamespaceFieldErrors({}, { name: "c", protectedNamespaces: ["kube-system"] })).toEqual([]);
    expect(protectedNamespaceFieldErrors(null, { name: "c", protectedNamespaces: ["kube-system"] })).toEqual([]);
  });
});

describe("planInputSchema (what the live preview and the plan API parse with)", () => {
  it("refuses kube-system as the inference namespace, naming namespaces.inference", () => {
    const parsed = planInputSchema.safeParse({
      infrastructure_task: "auto_scaling",
      workload_type: "inference",
      namespaces: { inference: "kube-system" },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain("namespaces.inference");
  });

  it("still accepts the defaults", () => {
    expect(planInputSchema.safeParse({ infrastructure_task: "auto_scaling", workload_type: "inference" }).success).toBe(
      true,
    );
  });
});

import { describe, expect, it } from "vitest";
import { sortForApply, sortForDelete } from "./apply-order";

describe("sortForApply", () => {
  it("puts namespaces and CRDs first, then RBAC/config, then workloads, then custom resources", () => {
    const kinds = [
      "ScaledObject",
      "Deployment",
      "ConfigMap",
      "Namespace",
      "RoleBinding",
      "HorizontalPodAutoscaler",
      "CustomResourceDefinition",
      "TriggerAuthentication",
    ];
    expect(sortForApply(kinds.map((kind) => ({ kind }))).map((o) => o.kind)).toEqual([
      "Namespace",
      "CustomResourceDefinition",
      "ConfigMap",
      "RoleBinding",
      "Deployment",
      "HorizontalPodAutoscaler",
      "TriggerAuthentication",
      "ScaledObject",
    ]);
  });

  it("keeps the given order among objects of the same rank", () => {
    const objects = [
      { kind: "ConfigMap", n: 1 },
      { kind: "Secret", n: 2 },
      { kind: "ConfigMap", n: 3 },
    ];
    expect(sortForApply(objects).map((o) => o.n)).toEqual([1, 2, 3]);
  });

  it("deletes in the reverse order", () => {
    expect(
      sortForDelete([{ kind: "Namespace" }, { kind: "Deployment" }, { kind: "ScaledObject" }]).map((o) => o.kind),
    ).toEqual(["ScaledObject", "Deployment", "Namespace"]);
  });
});

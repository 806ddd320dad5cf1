import { describe, expect, it } from "vitest";
import { apiGroupOf, objectKey } from "./object-identity";

describe("object identity", () => {
  it.each([
    ["v1", ""],
    ["apps/v1", "apps"],
    ["autoscaling/v2beta2", "autoscaling"],
    ["networking.k8s.io/v1", "networking.k8s.io"],
    ["keda.sh/v1alpha1", "keda.sh"],
  ])("the API group of %s is %j", (apiVersion, group) => {
    expect(apiGroupOf(apiVersion)).toBe(group);
  });

  it("is one object under every version of its group, and another in another group, kind, namespace or name", () => {
    const hpa = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      namespace: "team-a",
      name: "model-server",
    };
    expect(objectKey({ ...hpa, apiVersion: "autoscaling/v2beta2" })).toBe(objectKey(hpa));
    expect(objectKey({ ...hpa, apiVersion: "autoscaling/v1" })).toBe(objectKey(hpa));
    for (const other of [
      { apiVersion: "example.com/v2" },
      { kind: "Deployment" },
      { namespace: "team-b" },
      { namespace: null },
      { name: "other" },
    ]) {
      expect(objectKey({ ...hpa, ...other })).not.toBe(objectKey(hpa));
    }
    // A cluster-scoped object has no namespace, whether recorded as null or left out.
    expect(objectKey({ apiVersion: "v1", kind: "Namespace", namespace: null, name: "a" })).toBe(
      objectKey({ apiVersion: "v1", kind: "Namespace", name: "a" }),
    );
  });
});

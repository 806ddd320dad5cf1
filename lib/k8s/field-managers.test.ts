import { describe, expect, it } from "vitest";
import { appliedByFieldManager } from "./field-managers";
import type { KubernetesObject } from "./types";

const withManagers = (managedFields?: unknown): KubernetesObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "a", namespace: "ns", ...(managedFields === undefined ? {} : { managedFields }) },
});

describe("appliedByFieldManager", () => {
  it.each([
    [
      "our Apply entry beside a controller's Update",
      [
        { manager: "kube-controller-manager", operation: "Update" },
        { manager: "ml-portal", operation: "Apply" },
      ],
      true,
    ],
    ["only another manager applied it", [{ manager: "kubectl", operation: "Apply" }], false],
    ["our manager only updated it (not server-side apply)", [{ manager: "ml-portal", operation: "Update" }], false],
    [
      "our Apply entry is on the status subresource only",
      [{ manager: "ml-portal", operation: "Apply", subresource: "status" }],
      false,
    ],
    ["no managedFields at all", undefined, false],
  ])("%s → %s", (_name, managedFields, expected) => {
    expect(appliedByFieldManager(withManagers(managedFields), "ml-portal")).toBe(expected);
  });
});

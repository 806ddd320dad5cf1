import { describe, expect, it } from "vitest";
import { createdObjects, type RecordedResult } from "./created-objects";

const r = (operation: RecordedResult["operation"], phase: RecordedResult["phase"], outcome: string, name: string, kind = "ConfigMap", namespace: string | null = "ns"): RecordedResult => ({ operation, phase, outcome, apiVersion: "v1", kind, namespace, name });

describe("createdObjects", () => {
  it("keeps only objects the apply created, not configured or unchanged ones, nor dry-run predictions", () => {
    const refs = createdObjects([
      r("apply", "dry_run", "created", "predicted"),
      r("apply", "apply", "configured", "shared-namespace", "Namespace", null),
      r("apply", "apply", "unchanged", "already-there"),
      r("apply", "apply", "created", "mine"),
    ]);
    expect(refs).toEqual([{ apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name: "mine" }]);
  });

  it("remembers what an earlier attempt created when the retried attempt saw it as unchanged", () => {
    const refs = createdObjects([r("apply", "apply", "created", "a"), r("apply", "apply", "unchanged", "a"), r("apply", "apply", "created", "b")]);
    expect(refs.map((x) => x.name)).toEqual(["a", "b"]);
  });

  it("forgets objects a revert already deleted", () => {
    const refs = createdObjects([r("apply", "apply", "created", "a"), r("apply", "apply", "created", "b"), r("revert", "delete", "deleted", "a")]);
    expect(refs.map((x) => x.name)).toEqual(["b"]);
  });
});

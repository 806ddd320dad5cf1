import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fieldsV1ToLeaves, flattenLeaves, leavesToFieldsV1, unflattenLeaves } from "./field-paths";
import { type K8sObject, applyOwnership, conflictMessage, updateOwnership } from "./managed-fields";

const time = "2026-01-01T00:00:00Z";
const cm = (data: Record<string, string>, labels?: Record<string, string>): K8sObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c", namespace: "n", ...(labels ? { labels } : {}) },
  data,
});
const apply = (live: K8sObject | undefined, applied: K8sObject, manager: string, force = false) => {
  const outcome = applyOwnership({ live, applied, manager, force, time });
  if (!outcome.ok) throw new Error(conflictMessage(outcome.conflicts));
  return outcome.object;
};

describe("field paths", () => {
  const jsonObject = fc.dictionary(
    fc.constantFrom("a", "b", "c"),
    fc.oneof(fc.integer(), fc.string(), fc.dictionary(fc.constantFrom("x", "y"), fc.integer(), { minKeys: 1 })),
  );
  it("flatten then unflatten gives the object back (maps and scalars)", () => {
    fc.assert(
      fc.property(jsonObject, (obj) => {
        expect(unflattenLeaves(flattenLeaves(obj).values())).toEqual(obj);
      }),
    );
  });

  it("keys lists of named objects by name and round-trips them", () => {
    const obj = {
      containers: [
        { name: "a", image: "1" },
        { name: "b", image: "2", ports: [{ containerPort: 80 }] },
      ],
    };
    const leaves = flattenLeaves(obj);
    expect([...leaves.keys()].map((k) => k.split("\u0000").join("/"))).toContain('f:containers/k:{"name":"b"}/f:image');
    expect(unflattenLeaves(leaves.values())).toEqual(obj);
  });

  it("fieldsV1 encoding round-trips the owned leaves", () => {
    const keys = [...flattenLeaves({ spec: { replicas: 1, containers: [{ name: "a", image: "x" }] } }).keys()];
    expect([...fieldsV1ToLeaves(leavesToFieldsV1(keys))].sort()).toEqual(keys.sort());
  });
});

describe("applyOwnership", () => {
  it("removes a field the applier owned and no longer applies", () => {
    const first = apply(undefined, cm({ a: "1", b: "2" }), "portal");
    const second = apply(first, cm({ a: "1" }), "portal");
    expect(second.data).toEqual({ a: "1" });
  });

  it("keeps a field that another manager also owns when the applier drops it", () => {
    const first = apply(undefined, cm({ a: "1", b: "2" }), "portal");
    const shared = apply(first, cm({ b: "2" }), "other");
    const dropped = apply(shared, cm({ a: "1" }), "portal");
    expect(dropped.data).toEqual({ a: "1", b: "2" });
  });

  it("lists every conflicting field grouped by manager in the API's words", () => {
    const live = apply(undefined, cm({ a: "1", b: "2" }), "kubectl");
    const outcome = applyOwnership({ live, applied: cm({ a: "9", b: "9" }), manager: "portal", force: false, time });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.conflicts.map((c) => c.field)).toEqual([".data.a", ".data.b"]);
    expect(conflictMessage(outcome.conflicts)).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .data.a\n- .data.b',
    );
  });

  it("gives a field changed by an update to the updater, so a later apply conflicts with it", () => {
    const live = apply(undefined, cm({ a: "1" }), "portal");
    const updated = updateOwnership({ live, next: { ...live, data: { a: "2" } }, manager: "kubectl-edit", time });
    const outcome = applyOwnership({ live: updated, applied: cm({ a: "1" }), manager: "portal", force: false, time });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(conflictMessage(outcome.conflicts)).toBe(
        `Apply failed with 1 conflict: conflict with "kubectl-edit" using v1 at ${time}: .data.a`,
      );
  });
});

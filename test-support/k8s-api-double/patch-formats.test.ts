import { describe, expect, it } from "vitest";
import { matchesLabelSelector } from "./label-selector";
import { JsonPatchError, jsonPatch, mergePatch, strategicMergePatch } from "./patch-formats";

describe("patch formats", () => {
  it("merge patch deletes keys set to null and replaces lists", () => {
    expect(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null }, l: [3] })).toEqual({
      a: 1,
      b: { d: 3 },
      l: [3],
    });
  });

  it("strategic merge patch merges named lists by name", () => {
    const live = {
      containers: [
        { name: "a", image: "1" },
        { name: "b", image: "1" },
      ],
    };
    expect(strategicMergePatch(live, { containers: [{ name: "b", image: "2" }] })).toEqual({
      containers: [
        { name: "a", image: "1" },
        { name: "b", image: "2" },
      ],
    });
  });

  it("JSON patch replaces, adds and removes, and fails on a missing path", () => {
    const doc = { spec: { replicas: 1, template: { x: 1 } }, metadata: { annotations: {} } };
    expect(
      jsonPatch(doc, [
        { op: "replace", path: "/spec/replicas", value: 3 },
        { op: "remove", path: "/spec/template/x" },
        { op: "add", path: "/metadata/annotations/a~1b", value: "v" },
      ]),
    ).toEqual({
      spec: { replicas: 3, template: {} },
      metadata: { annotations: { "a/b": "v" } },
    });
    expect(() => jsonPatch(doc, [{ op: "replace", path: "/spec/missing", value: 1 }])).toThrow(JsonPatchError);
  });
});

describe("label selectors", () => {
  it.each([
    ["app=llm", true],
    ["app==llm,tier=gpu", true],
    ["app!=llm", false],
    ["tier in (gpu, cpu)", true],
    ["tier notin (gpu)", false],
    ["app", true],
    ["!missing", true],
    ["!app", false],
    ["", true],
  ])("%s", (selector, expected) => {
    expect(matchesLabelSelector(selector, { app: "llm", tier: "gpu" })).toBe(expected);
  });
});

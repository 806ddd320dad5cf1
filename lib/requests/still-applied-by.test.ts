import { describe, expect, it } from "vitest";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";
import {
  holdersOf,
  splitRevert,
  stillAppliedReason,
  type AppliedByRequest,
  type SucceededRevert,
} from "./still-applied-by";

const namespace: ObjectRef = { apiVersion: "v1", kind: "Namespace", name: "team-a" };
const quota: ObjectRef = { apiVersion: "v1", kind: "ResourceQuota", namespace: "team-a", name: "gpu" };
const configMap: ObjectRef = { apiVersion: "v1", kind: "ConfigMap", namespace: "team-a", name: "a" };
const created = [namespace, quota, configMap];

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));
const applied = (ref: ObjectRef, requestId: string, number: number, minute: number): AppliedByRequest => ({
  ref,
  requestId,
  number,
  runCreatedAt: at(minute),
});
const reverted = (requestId: string, minute: number): SucceededRevert => ({ requestId, runCreatedAt: at(minute) });
const kept = (result: ReturnType<typeof splitRevert>) =>
  result.leftInPlace.map((l) => `${l.ref.kind}:${l.stillAppliedBy.map((h) => h.number).join(",")}`);

describe("splitRevert", () => {
  it.each<[string, AppliedByRequest[], SucceededRevert[], string[]]>([
    ["nobody else applied them: everything is deleted", [], [], []],
    [
      "a later request applied the namespace and quota: both stay, naming it",
      [applied(namespace, "b", 2, 10), applied(quota, "b", 2, 10)],
      [],
      ["Namespace:2", "ResourceQuota:2"],
    ],
    [
      "the other request was reverted after its apply: it holds nothing",
      [applied(namespace, "b", 2, 10)],
      [reverted("b", 20)],
      [],
    ],
    [
      "reverted, then applied again (force apply after a failed revert): it holds again",
      [applied(namespace, "b", 2, 30)],
      [reverted("b", 20)],
      ["Namespace:2"],
    ],
    [
      "a revert of another request does not release this one",
      [applied(namespace, "b", 2, 10)],
      [reverted("c", 20)],
      ["Namespace:2"],
    ],
    [
      "several requests: each named once, in number order",
      [applied(namespace, "c", 7, 12), applied(namespace, "b", 3, 10), applied(namespace, "c", 7, 15)],
      [],
      ["Namespace:3,7"],
    ],
    [
      "only the requests not reverted since are named",
      [applied(namespace, "c", 7, 12), applied(namespace, "b", 3, 10)],
      [reverted("c", 13)],
      ["Namespace:3"],
    ],
  ])("%s", (_name, rows, reverts, expected) => {
    const result = splitRevert(created, rows, reverts);
    expect(kept(result)).toEqual(expected);
    // Every created object is either deleted or left in place, in the order given.
    const leftKinds = new Set(result.leftInPlace.map((l) => l.ref.kind));
    expect(result.toDelete).toEqual(created.filter((r) => !leftKinds.has(r.kind)));
  });

  it("matches on the whole identity: another namespace, kind or API group with the same name is another object", () => {
    const rows = [
      applied({ ...configMap, namespace: "team-b" }, "b", 2, 10),
      applied({ ...configMap, kind: "Secret" }, "b", 2, 10),
      applied({ ...namespace, apiVersion: "example.com/v1" }, "b", 2, 10),
    ];
    expect(splitRevert(created, rows, []).toDelete).toEqual(created);
  });

  it.each([
    ["autoscaling/v2beta2", "autoscaling/v2"],
    ["autoscaling/v2", "autoscaling/v2beta2"],
    ["v1", "v2"],
  ])(
    "the same object under another version of its group is the same object: created as %s, applied by B as %s, it stays for B",
    (createdAs, appliedAs) => {
      const hpa: ObjectRef = {
        apiVersion: createdAs,
        kind: "HorizontalPodAutoscaler",
        namespace: "team-a",
        name: "model-server",
      };
      const result = splitRevert([hpa, configMap], [applied({ ...hpa, apiVersion: appliedAs }, "b", 2, 10)], []);
      expect(result.toDelete).toEqual([configMap]);
      expect(result.leftInPlace).toEqual([{ ref: hpa, stillAppliedBy: [{ requestId: "b", number: 2 }] }]);
    },
  );

  it("holdersOf as of a moment: what a revert created then saw (later applies and reverts do not count)", () => {
    const rows = [applied(namespace, "b", 2, 10), applied(namespace, "c", 3, 30)];
    const reverts = [reverted("b", 25)];
    const holdersAt = (minute: number) => [
      ...(holdersOf(rows, reverts, new Date(Date.UTC(2025, 0, 1, 0, minute)))
        .get(objectKey(namespace))
        ?.keys() ?? []),
    ];
    expect(holdersAt(10)).toEqual([]);
    expect(holdersAt(20)).toEqual(["b"]);
    expect(holdersAt(28)).toEqual([]);
    expect(holdersAt(40)).toEqual(["c"]);
    expect([...(holdersOf(rows, reverts).get(objectKey(namespace))?.keys() ?? [])]).toEqual(["c"]);
  });

  it("names the holders with their request numbers", () => {
    expect(
      stillAppliedReason([
        { requestId: "b", number: 3 },
        { requestId: "c", number: 7 },
      ]),
    ).toBe("still applied by REQ-3, REQ-7");
  });
});

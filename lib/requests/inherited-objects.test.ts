import { describe, expect, it } from "vitest";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import type { RecordedResult } from "./created-objects";
import {
  appliedNotCreated,
  inheritedObjects,
  inheritedReason,
  splitAppliedNotCreated,
  type ObjectHistory,
} from "./inherited-objects";
import type { AppliedByRequest } from "./still-applied-by";

const namespace: ObjectRef = { apiVersion: "v1", kind: "Namespace", name: "team-a" };
const numbers: Record<string, number> = { a: 1, b: 2, c: 3 };
const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));

// One request's step in a planted history of the Namespace. B (REQ-2) is the request being reverted.
type Step =
  | ["created" | "applied", request: string, minute: number]
  // "revert-running": the run has not finished (its worker died after writing the row; the queue retries it).
  | [
      "reverted" | "revert-failed" | "revert-running",
      request: string,
      minute: number,
      row: "deleted" | "unchanged" | "failed" | "none",
    ];

function historyOf(steps: Step[]): ObjectHistory {
  const history = {
    applied: [] as AppliedByRequest[],
    creations: [] as AppliedByRequest[],
    reverts: [] as ObjectHistory["reverts"][number][],
    deletes: [] as ObjectHistory["deletes"][number][],
  };
  for (const step of steps) {
    const [, requestId, minute] = step;
    const handle = { requestId, number: numbers[requestId]! };
    if (step[0] === "created" || step[0] === "applied") {
      const applied = { ...handle, ref: namespace, runCreatedAt: at(minute) };
      history.applied.push(applied);
      if (step[0] === "created") history.creations.push(applied);
      continue;
    }
    const row = step[3] ?? "none";
    if (step[0] === "reverted") history.reverts.push({ requestId, runCreatedAt: at(minute) });
    if (row !== "none")
      history.deletes.push({
        ...handle,
        ref: namespace,
        outcome: row,
        runCreatedAt: at(minute),
        runSucceeded: step[0] === "reverted",
      });
  }
  return history;
}

const inheritedBy = (steps: Step[]) => inheritedObjects("b", [namespace], historyOf(steps));

describe("inheritedObjects", () => {
  it.each<[string, Step[], number[] | null, boolean?]>([
    [
      "A created it, B applied it, A's revert left it for B: B's revert deletes it",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["reverted", "a", 20, "unchanged"],
      ],
      [1],
      true,
    ],
    [
      "A's revert left it, but C still applies it: C's, not B's",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
      ],
      null,
    ],
    [
      "C applied it too and was reverted since: B is the last",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
        ["reverted", "c", 25, "none"],
      ],
      [1],
      true,
    ],
    [
      "A was never reverted: A's",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
      ],
      null,
    ],
    [
      "A's revert already deleted it: nothing left to delete",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["reverted", "b", 15, "none"],
        ["reverted", "a", 20, "deleted"],
      ],
      null,
    ],
    [
      "A's revert left it but failed on another object: A still holds it",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["revert-failed", "a", 20, "unchanged"],
      ],
      null,
    ],
    [
      "A's revert left it, failed on another object, and its retry left it again and succeeded",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["revert-failed", "a", 20, "unchanged"],
        ["reverted", "a", 30, "unchanged"],
      ],
      [1],
      true,
    ],
    [
      "A's revert left it for C and failed; B applied it, C was reverted; A's retry left it for B: the latest release counts",
      [
        ["created", "a", 0],
        ["applied", "c", 5],
        ["revert-failed", "a", 20, "unchanged"],
        ["applied", "b", 25],
        ["reverted", "c", 27, "unchanged"],
        ["reverted", "a", 30, "unchanged"],
      ],
      [1],
      true,
    ],
    [
      "rows from before retries covered it again: A's failed revert left it, its successful retry wrote no row for it",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["revert-failed", "a", 20, "unchanged"],
        ["reverted", "a", 30, "none"],
      ],
      [1],
      true,
    ],
    [
      "A's revert left it and its worker died (the run is still running): A still holds it",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["revert-running", "a", 20, "unchanged"],
      ],
      null,
    ],
    [
      "A's revert failed to delete it and its retry deleted it: nothing left to delete",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["reverted", "b", 15, "none"],
        ["revert-failed", "a", 20, "failed"],
        ["reverted", "a", 30, "deleted"],
      ],
      null,
    ],
    [
      "A's revert failed to delete it, its retry left it for B",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["revert-failed", "a", 20, "failed"],
        ["reverted", "a", 30, "unchanged"],
      ],
      [1],
      true,
    ],
    [
      "A's first revert left it for nobody else (the portal no longer applied it), B applied it later, A's retry wrote nothing more",
      [
        ["created", "a", 0],
        ["revert-failed", "a", 10, "unchanged"],
        ["applied", "b", 20],
        ["reverted", "a", 30, "none"],
      ],
      null,
    ],
    [
      "A's revert left it because the portal no longer applied it (nobody else did), then B applied it: somebody else's",
      [
        ["created", "a", 0],
        ["reverted", "a", 10, "unchanged"],
        ["applied", "b", 20],
      ],
      null,
    ],
    [
      "nobody in the portal created it (B found it, kubectl made it): never inherited",
      [
        ["applied", "b", 10],
        ["applied", "c", 12],
        ["reverted", "c", 20, "none"],
      ],
      null,
    ],
    [
      "deleted by A's revert, created again by C, whose revert left it for B: C's creation is what counts",
      [
        ["created", "a", 0],
        ["reverted", "a", 5, "deleted"],
        ["created", "c", 8],
        ["applied", "b", 10],
        ["reverted", "c", 20, "unchanged"],
      ],
      [3],
      true,
    ],
    [
      "A's revert left it for C before B applied it; C was reverted since: B is the last, though not the one it was left for",
      [
        ["created", "a", 0],
        ["applied", "c", 5],
        ["reverted", "a", 10, "unchanged"],
        ["applied", "b", 12],
        ["reverted", "c", 20, "none"],
      ],
      [1],
      false,
    ],
    [
      "two creators (it was re-created between): both reverts must have left it",
      [
        ["created", "a", 0],
        ["created", "c", 5],
        ["applied", "b", 10],
        ["reverted", "a", 20, "unchanged"],
      ],
      null,
    ],
    [
      "two creators, both reverted leaving it for B",
      [
        ["created", "a", 0],
        ["created", "c", 5],
        ["applied", "b", 10],
        ["reverted", "a", 20, "unchanged"],
        ["reverted", "c", 25, "unchanged"],
      ],
      [1, 3],
      true,
    ],
    [
      "B's own creation does not count as another's (createdObjects decides what B created)",
      [
        ["created", "b", 0],
        ["applied", "b", 10],
      ],
      null,
    ],
    [
      "B's own \"created\" row that createdObjects did not count (A created it again before B's retry) makes B no creator",
      [
        ["created", "b", 0],
        ["created", "a", 4],
        ["applied", "b", 5],
        ["reverted", "a", 20, "unchanged"],
      ],
      [1],
      true,
    ],
    [
      'a delete row "failed" releases nothing, even if A was reverted successfully later',
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["revert-failed", "a", 20, "failed"],
        ["reverted", "a", 30, "none"],
      ],
      null,
    ],
    [
      "A created it again after an earlier revert left it for nobody: only the revert after the creation counts",
      [
        ["created", "a", 0],
        ["revert-failed", "a", 5, "unchanged"],
        ["created", "a", 8],
        ["applied", "b", 10],
        ["reverted", "a", 20, "unchanged"],
      ],
      [1],
      true,
    ],
  ])("%s", (_name, steps, createdBy, leftForThisRequest) => {
    const inherited = inheritedBy(steps);
    if (!createdBy) return expect(inherited).toEqual([]);
    expect(inherited).toEqual([
      {
        ref: namespace,
        createdBy: createdBy.map((n) => ({ requestId: Object.keys(numbers).find((k) => numbers[k] === n), number: n })),
        leftForThisRequest,
      },
    ]);
  });

  it("matches on the whole identity: another object's history decides nothing", () => {
    const other = { ...namespace, name: "team-b" };
    const history = historyOf([
      ["created", "a", 0],
      ["applied", "b", 10],
      ["reverted", "a", 20, "unchanged"],
    ]);
    expect(inheritedObjects("b", [other], history)).toEqual([]);
    expect(inheritedObjects("b", [other, namespace], history).map((i) => i.ref)).toEqual([namespace]);
  });

  it("matches the same object under another version of its API group: created as autoscaling/v2beta2, applied by B as v2", () => {
    const hpa: ObjectRef = {
      apiVersion: "autoscaling/v2beta2",
      kind: "HorizontalPodAutoscaler",
      namespace: "team-a",
      name: "model-server",
    };
    const hpaV2 = { ...hpa, apiVersion: "autoscaling/v2" };
    const handle = (requestId: string) => ({ requestId, number: numbers[requestId]! });
    const history: ObjectHistory = {
      applied: [
        { ...handle("a"), ref: hpa, runCreatedAt: at(0) },
        { ...handle("b"), ref: hpaV2, runCreatedAt: at(10) },
      ],
      creations: [{ ...handle("a"), ref: hpa, runCreatedAt: at(0) }],
      reverts: [],
      deletes: [],
    };
    // A still applies it: B leaves it for A.
    expect(splitAppliedNotCreated("b", [hpaV2], history)).toEqual({
      inherited: [],
      leftInPlace: [{ ref: hpaV2, stillAppliedBy: [handle("a")] }],
      creationUids: new Map(),
    });
    // A's revert left it for B: B inherits it, and deletes it at the version B applied.
    const afterA = {
      ...history,
      reverts: [{ requestId: "a", runCreatedAt: at(20) }],
      deletes: [{ ...handle("a"), ref: hpa, outcome: "unchanged" as const, runCreatedAt: at(20), runSucceeded: true }],
    };
    expect(inheritedObjects("b", [hpaV2], afterA)).toEqual([
      { ref: hpaV2, createdBy: [handle("a")], leftForThisRequest: true },
    ]);
    // Another group's object of the same kind and name is not it.
    expect(inheritedObjects("b", [{ ...hpaV2, apiVersion: "example.com/v1" }], afterA)).toEqual([]);
  });

  it("says where the object comes from", () => {
    expect(inheritedReason({ createdBy: [{ requestId: "a", number: 1 }], leftForThisRequest: true })).toBe(
      "created by REQ-1, left in place by its revert for this request",
    );
    expect(
      inheritedReason({
        createdBy: [
          { requestId: "a", number: 1 },
          { requestId: "c", number: 3 },
        ],
        leftForThisRequest: false,
      }),
    ).toBe("created by REQ-1, REQ-3, left in place by their reverts for other requests, reverted since");
  });
});

describe("splitAppliedNotCreated: what B's revert deletes, leaves for its holders, or does not touch", () => {
  const handles = (ns: number[]) =>
    ns.map((n) => ({ requestId: Object.keys(numbers).find((k) => numbers[k] === n)!, number: n }));
  it.each<[string, Step[], { inherited?: number[]; leftFor?: number[] }]>([
    [
      "A created it, B and C re-applied it, A's revert left it: B leaves it for C (else B and C wait for each other)",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
      ],
      { leftFor: [3] },
    ],
    [
      "then C's revert left it for B: B is the last and inherits it from A",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
        ["reverted", "c", 25, "unchanged"],
      ],
      { inherited: [1] },
    ],
    [
      "A, its creator, is not reverted: B leaves it for A, whose revert deletes it",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
      ],
      { leftFor: [1] },
    ],
    [
      "A, the creator, and C both still apply it: B names both",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
      ],
      { leftFor: [1, 3] },
    ],
    [
      "A's revert left it and failed on another object: A still holds it (its retry covers it again), so B leaves it for A",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["revert-failed", "a", 20, "unchanged"],
      ],
      { leftFor: [1] },
    ],
    [
      "C's revert left it and failed on another object: C still holds it, B leaves it for C",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
        ["revert-failed", "c", 25, "unchanged"],
      ],
      { leftFor: [3] },
    ],
    [
      "C's revert left it and its worker died (the run is still running): C still holds it, B leaves it for C",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
        ["revert-running", "c", 25, "unchanged"],
      ],
      { leftFor: [3] },
    ],
    [
      "C's revert deleted it and failed on another object (it came back unrecorded): left for nobody, nor deleted",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
        ["revert-failed", "c", 25, "deleted"],
      ],
      {},
    ],
    [
      "C's revert failed to delete it: C still covers it, B leaves it for C",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
        ["revert-failed", "c", 25, "failed"],
      ],
      { leftFor: [3] },
    ],
    [
      "C re-applied it after its revert left it: C covers it again",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 15],
        ["reverted", "a", 20, "unchanged"],
        ["revert-failed", "c", 25, "unchanged"],
        ["applied", "c", 30],
      ],
      { leftFor: [3] },
    ],
    [
      "nobody in the portal created it (kubectl did): not the revert's, whoever else applies it",
      [
        ["applied", "b", 10],
        ["applied", "c", 12],
      ],
      {},
    ],
    [
      "A's revert gave it up to nobody (the portal no longer applied it), then B and C applied it: not the revert's",
      [
        ["created", "a", 0],
        ["reverted", "a", 10, "unchanged"],
        ["applied", "b", 20],
        ["applied", "c", 25],
      ],
      {},
    ],
    [
      "A's revert deleted it (C still held it; it came back unrecorded): no creator since, not the revert's",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["applied", "c", 12],
        ["reverted", "a", 20, "deleted"],
      ],
      {},
    ],
    [
      "created again by C after A's revert left it: both creators must pass it on, C still applies it",
      [
        ["created", "a", 0],
        ["applied", "b", 10],
        ["reverted", "a", 20, "unchanged"],
        ["created", "c", 25],
      ],
      { leftFor: [3] },
    ],
  ])("%s", (_name, steps, expected) => {
    const split = splitAppliedNotCreated("b", [namespace], historyOf(steps));
    expect(split.inherited.map((i) => i.createdBy)).toEqual(expected.inherited ? [handles(expected.inherited)] : []);
    expect(split.leftInPlace).toEqual(
      expected.leftFor ? [{ ref: namespace, stillAppliedBy: handles(expected.leftFor) }] : [],
    );
  });

  it("agrees with inheritedObjects on what is inherited", () => {
    const steps: Step[] = [
      ["created", "a", 0],
      ["applied", "b", 10],
      ["reverted", "a", 20, "unchanged"],
    ];
    expect(splitAppliedNotCreated("b", [namespace], historyOf(steps)).inherited).toEqual(
      inheritedObjects("b", [namespace], historyOf(steps)),
    );
  });
});

describe("appliedNotCreated", () => {
  const row = (
    runId: string,
    operation: RecordedResult["operation"],
    phase: RecordedResult["phase"],
    index: number,
    outcome: string,
    kind: string,
    name: string,
    runStatus: RecordedResult["runStatus"] = "succeeded",
  ): RecordedResult => ({
    runId,
    attempt: 1,
    operation,
    runStatus,
    phase,
    index,
    outcome,
    apiVersion: "v1",
    kind,
    namespace: kind === "Namespace" ? null : "team-a",
    name,
  });
  const apply = [
    row("run1", "apply", "dry_run", 0, "unchanged", "Namespace", "team-a"),
    row("run1", "apply", "dry_run", 1, "created", "ConfigMap", "b"),
    row("run1", "apply", "dry_run", 2, "unchanged", "ConfigMap", "skipped"),
    row("run1", "apply", "apply", 0, "unchanged", "Namespace", "team-a"),
    row("run1", "apply", "apply", 1, "created", "ConfigMap", "b"),
    row("run1", "apply", "apply", 2, "failed", "ConfigMap", "skipped"),
  ];
  const configMapB = { apiVersion: "v1", kind: "ConfigMap", namespace: "team-a", name: "b" };

  it("is what the request applied successfully, less what it created (dry-runs and failed applies hold nothing)", () => {
    expect(appliedNotCreated(apply, [configMapB])).toEqual([namespace]);
  });

  it.each<[string, RecordedResult["runStatus"]]>([
    ["deleted", "failed"],
    ["deleted", "succeeded"],
    ["unchanged", "succeeded"],
  ])("forgets it when its revert's row says %s and the run is %s", (outcome, runStatus) => {
    expect(
      appliedNotCreated(
        [...apply, row("revert1", "revert", "delete", 0, outcome, "Namespace", "team-a", runStatus)],
        [configMapB],
      ),
    ).toEqual([]);
  });

  it.each<[string, RecordedResult["runStatus"]]>([
    ["failed", "failed"],
    ["unchanged", "failed"],
    ["unchanged", "applying"],
  ])("keeps it when its revert's row says %s and the run is %s: the retry covers it again", (outcome, runStatus) => {
    expect(
      appliedNotCreated(
        [...apply, row("revert1", "revert", "delete", 0, outcome, "Namespace", "team-a", runStatus)],
        [configMapB],
      ),
    ).toEqual([namespace]);
  });
});

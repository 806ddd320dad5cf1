import { describe, expect, it } from "vitest";
import { createdObjects, createdObjectsWithUid, type RecordedResult, type RunStatus } from "./created-objects";

type Row = [outcome: string, name: string, kind?: string, namespace?: string | null];

/** The rows one attempt of a run wrote, each phase indexed in order, as the apply job writes them. */
function attempt(
  runId: string,
  number: number,
  phases: { dryRun?: Row[]; apply?: Row[]; delete?: Row[] },
  runStatus: RunStatus = "succeeded",
): RecordedResult[] {
  const operation = phases.delete ? "revert" : "apply";
  const rows = (phase: RecordedResult["phase"], list: Row[] = []) =>
    list.map(([outcome, name, kind = "ConfigMap", namespace = "ns"], index): RecordedResult => ({
      runId,
      attempt: number,
      operation,
      runStatus,
      phase,
      index,
      outcome,
      apiVersion: "v1",
      kind,
      namespace,
      name,
    }));
  return [...rows("dry_run", phases.dryRun), ...rows("apply", phases.apply), ...rows("delete", phases.delete)];
}

const names = (results: RecordedResult[]) => createdObjects(results).map((x) => x.name);

describe("createdObjects", () => {
  it("keeps only objects the apply created, not configured or unchanged ones, nor dry-run predictions", () => {
    const refs = createdObjects(
      attempt("run1", 1, {
        dryRun: [
          ["configured", "shared-namespace", "Namespace", null],
          ["unchanged", "already-there"],
          ["created", "mine"],
        ],
        apply: [
          ["configured", "shared-namespace", "Namespace", null],
          ["unchanged", "already-there"],
          ["created", "mine"],
        ],
      }),
    );
    expect(refs).toEqual([{ apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name: "mine" }]);
    // A dry-run that predicted "created" is not a creation: here a sibling's dry-run failed, so nothing was applied.
    expect(
      names(
        attempt("run1", 1, {
          dryRun: [
            ["created", "predicted"],
            ["failed", "bad"],
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("remembers what an earlier attempt created when the retried attempt saw it as unchanged", () => {
    const refs = names([
      ...attempt("run1", 1, {
        dryRun: [
          ["created", "a"],
          ["created", "b"],
        ],
        apply: [
          ["created", "a"],
          ["failed", "b"],
        ],
      }),
      ...attempt("run2", 1, {
        dryRun: [
          ["unchanged", "a"],
          ["created", "b"],
        ],
        apply: [
          ["unchanged", "a"],
          ["created", "b"],
        ],
      }),
    ]);
    expect(refs).toEqual(["a", "b"]);
  });

  it("counts an object whose apply row a dead attempt lost: attempt 1's dry-run found it absent, attempt 2 applied it as unchanged", () => {
    const results = [
      ...attempt("run1", 1, { dryRun: [["created", "a"]] }),
      ...attempt("run1", 2, { dryRun: [["unchanged", "a"]], apply: [["unchanged", "a"]] }),
    ];
    expect(createdObjects(results)).toEqual([{ apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name: "a" }]);
  });

  it("counts the lost object in the middle of the plan, in creation order, also when the retry answers configured", () => {
    const results = [
      ...attempt("run1", 1, {
        dryRun: [
          ["created", "a"],
          ["created", "b"],
          ["created", "c"],
        ],
        apply: [["created", "a"]],
      }),
      ...attempt("run1", 2, {
        dryRun: [
          ["unchanged", "a"],
          ["configured", "b"],
          ["created", "c"],
        ],
        apply: [
          ["unchanged", "a"],
          ["configured", "b"],
          ["created", "c"],
        ],
      }),
    ];
    expect(names(results)).toEqual(["a", "b", "c"]);
  });

  it("does not count an object that existed before the request, even after a dead attempt", () => {
    const results = [
      ...attempt("run1", 1, {
        dryRun: [
          ["unchanged", "a"],
          ["configured", "b"],
        ],
      }),
      ...attempt("run1", 2, {
        dryRun: [
          ["unchanged", "a"],
          ["configured", "b"],
        ],
        apply: [["unchanged", "a"]],
      }),
      ...attempt("run1", 3, {
        dryRun: [
          ["unchanged", "a"],
          ["unchanged", "b"],
        ],
        apply: [
          ["unchanged", "a"],
          ["unchanged", "b"],
        ],
      }),
    ];
    expect(names(results)).toEqual([]);
  });

  it.each([
    [
      "somebody else created it between our dry-run and our apply (same attempt: the apply row decides)",
      [...attempt("run1", 1, { dryRun: [["created", "b"]], apply: [["configured", "b"]] })],
      [],
    ],
    [
      "a sibling's dry-run failed, so nothing was applied, and somebody else created it before the next run",
      [
        ...attempt("run1", 1, {
          dryRun: [
            ["created", "b"],
            ["failed", "c"],
          ],
        }),
        ...attempt("run2", 1, {
          dryRun: [
            ["unchanged", "b"],
            ["configured", "c"],
          ],
          apply: [
            ["unchanged", "b"],
            ["configured", "c"],
          ],
        }),
      ],
      [],
    ],
    [
      "the worker died during the dry-run (it covered 1 of 2 objects), so nothing was applied",
      [
        ...attempt("run1", 1, { dryRun: [["created", "b"]] }),
        ...attempt("run1", 2, {
          dryRun: [
            ["unchanged", "b"],
            ["created", "c"],
          ],
          apply: [
            ["unchanged", "b"],
            ["created", "c"],
          ],
        }),
      ],
      ["c"],
    ],
    [
      "the apply stopped at a failure, so the next object was skipped, not applied",
      [
        ...attempt("run1", 1, {
          dryRun: [
            ["created", "a"],
            ["created", "b"],
          ],
          apply: [["failed", "a"]],
        }),
        ...attempt("run2", 1, {
          dryRun: [
            ["created", "a"],
            ["unchanged", "b"],
          ],
          apply: [
            ["created", "a"],
            ["unchanged", "b"],
          ],
        }),
      ],
      ["a"],
    ],
    [
      "the retry found it absent again (the dead worker never sent it), then somebody else created it before our apply",
      [
        ...attempt("run1", 1, { dryRun: [["created", "b"]] }),
        ...attempt("run1", 2, { dryRun: [["created", "b"]], apply: [["configured", "b"]] }),
      ],
      [],
    ],
  ])("does not count b when %s", (_case, results, expected) => {
    expect(names(results)).toEqual(expected);
  });

  it("a dead attempt's object stays uncounted until a later apply succeeds on it", () => {
    const dead = attempt("run1", 1, { dryRun: [["created", "a"]] });
    expect(names(dead)).toEqual([]);
    expect(names([...dead, ...attempt("run1", 2, { dryRun: [["unchanged", "a"]], apply: [["failed", "a"]] })])).toEqual(
      [],
    );
  });

  it("forgets objects a revert already deleted, including one counted from a lost apply row", () => {
    const applied = [
      ...attempt("run1", 1, {
        dryRun: [
          ["created", "a"],
          ["created", "b"],
        ],
        apply: [["created", "a"]],
      }),
      ...attempt("run1", 2, {
        dryRun: [
          ["unchanged", "a"],
          ["unchanged", "b"],
        ],
        apply: [
          ["unchanged", "a"],
          ["unchanged", "b"],
        ],
      }),
    ];
    expect(names(applied)).toEqual(["a", "b"]);
    expect(names([...applied, ...attempt("revert1", 1, { delete: [["deleted", "b"]] })])).toEqual(["a"]);
    expect(
      names([
        ...applied,
        ...attempt("revert1", 1, {
          delete: [
            ["deleted", "b"],
            ["deleted", "a"],
          ],
        }),
      ]),
    ).toEqual([]);
  });

  it("forgets objects a successful revert left in place (another manager owns them, or another request applies them)", () => {
    const applied = attempt("run1", 1, {
      dryRun: [
        ["created", "a"],
        ["created", "b"],
      ],
      apply: [
        ["created", "a"],
        ["created", "b"],
      ],
    });
    expect(
      names([
        ...applied,
        ...attempt("revert1", 1, {
          delete: [
            ["unchanged", "b"],
            ["deleted", "a"],
          ],
        }),
      ]),
    ).toEqual([]);
  });

  // A revert that has not succeeded still holds what it left (still-applied-by.ts counts only successful reverts), so
  // its retry must cover those objects again and decide anew, or nobody ever deletes them.
  it.each<[string, RecordedResult[], string[]]>([
    [
      "it failed on another object: keeps both, the one it failed to delete and the one it left",
      attempt(
        "revert1",
        1,
        {
          delete: [
            ["unchanged", "b"],
            ["failed", "a"],
          ],
        },
        "failed",
      ),
      ["a", "b"],
    ],
    [
      "its worker died after writing the row (the run is still applying): keeps it for the next attempt",
      attempt("revert1", 1, { delete: [["unchanged", "b"]] }, "applying"),
      ["a", "b"],
    ],
    [
      "its worker died after writing the row, the run's retry left it again and succeeded: forgets it",
      [
        ...attempt("revert1", 1, { delete: [["unchanged", "b"]] }, "succeeded"),
        ...attempt(
          "revert1",
          2,
          {
            delete: [
              ["unchanged", "b"],
              ["deleted", "a"],
            ],
          },
          "succeeded",
        ),
      ],
      [],
    ],
    [
      "it failed, and a later revert deleted it: forgets it",
      [
        ...attempt(
          "revert1",
          1,
          {
            delete: [
              ["unchanged", "b"],
              ["failed", "a"],
            ],
          },
          "failed",
        ),
        ...attempt("revert2", 1, { delete: [["deleted", "b"]] }, "failed"),
      ],
      ["a"],
    ],
  ])("a revert that left b in place: when %s", (_case, revert, expected) => {
    const applied = attempt("run1", 1, {
      dryRun: [
        ["created", "a"],
        ["created", "b"],
      ],
      apply: [
        ["created", "a"],
        ["created", "b"],
      ],
    });
    expect(names([...applied, ...revert])).toEqual(expected);
  });

  it("forgets an object its revert deleted under another version of the same API group (one object to the API server)", () => {
    const hpa = (
      apiVersion: string,
      runId: string,
      phase: RecordedResult["phase"],
      outcome: string,
    ): RecordedResult => ({
      runId,
      attempt: 1,
      operation: phase === "delete" ? "revert" : "apply",
      runStatus: "succeeded",
      phase,
      index: 0,
      outcome,
      apiVersion,
      kind: "HorizontalPodAutoscaler",
      namespace: "ns",
      name: "hpa",
    });
    const applied = [
      hpa("autoscaling/v2beta2", "run1", "dry_run", "created"),
      hpa("autoscaling/v2beta2", "run1", "apply", "created"),
    ];
    expect(names(applied)).toEqual(["hpa"]);
    expect(names([...applied, hpa("autoscaling/v2", "revert1", "delete", "deleted")])).toEqual([]);
    expect(names([...applied, hpa("example.com/v2", "revert1", "delete", "deleted")])).toEqual(["hpa"]);
  });

  it("does not depend on the order of rows inside an attempt", () => {
    const rows = [
      ...attempt("run1", 1, {
        dryRun: [
          ["created", "a"],
          ["created", "b"],
        ],
        apply: [["created", "a"]],
      }),
      ...attempt("run1", 2, {
        dryRun: [
          ["unchanged", "a"],
          ["unchanged", "b"],
        ],
        apply: [
          ["unchanged", "a"],
          ["unchanged", "b"],
        ],
      }),
    ];
    const shuffled = [...rows.slice(0, 3).reverse(), ...rows.slice(3).reverse()];
    expect(names(shuffled)).toEqual(["a", "b"]);
  });
});

describe("createdObjectsWithUid: the uid a revert's delete must find", () => {
  /** The apply rows of `attempt`, each given the uid the apply answered. */
  const withUids = (rows: RecordedResult[], uids: (string | null)[]) =>
    rows.map((r) => (r.phase === "apply" ? { ...r, uid: uids[r.index] } : r));
  const uidOfA = (results: RecordedResult[]) => createdObjectsWithUid(results).find((c) => c.ref.name === "a")?.uid;

  it.each<[string, RecordedResult[], string | null | undefined]>([
    [
      "the creation's uid",
      withUids(attempt("run1", 1, { dryRun: [["created", "a"]], apply: [["created", "a"]] }), ["uid-1"]),
      "uid-1",
    ],
    [
      "not the uid of a re-made object a later apply configured",
      [
        ...withUids(attempt("run1", 1, { dryRun: [["created", "a"]], apply: [["created", "a"]] }), ["uid-1"]),
        ...withUids(attempt("run2", 1, { dryRun: [["configured", "a"]], apply: [["configured", "a"]] }), ["uid-2"]),
      ],
      "uid-1",
    ],
    [
      "the latest creation's uid when the request made it again",
      [
        ...withUids(attempt("run1", 1, { dryRun: [["created", "a"]], apply: [["created", "a"]] }), ["uid-1"]),
        ...withUids(attempt("run2", 1, { dryRun: [["created", "a"]], apply: [["created", "a"]] }), ["uid-3"]),
      ],
      "uid-3",
    ],
    [
      "the confirming apply's uid for a lost creation",
      [
        ...attempt("run1", 1, { dryRun: [["created", "a"]] }),
        ...withUids(attempt("run1", 2, { dryRun: [["unchanged", "a"]], apply: [["unchanged", "a"]] }), ["uid-4"]),
      ],
      "uid-4",
    ],
    [
      "null for a row recorded before uids were kept",
      attempt("run1", 1, { dryRun: [["created", "a"]], apply: [["created", "a"]] }),
      null,
    ],
  ])("%s", (_, results, uid) => {
    expect(uidOfA(results)).toBe(uid);
  });
});

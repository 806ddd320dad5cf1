// Whole sequences of applies and reverts of several requests on one cluster, replayed through the revert plan
// (revert-plan.ts) and a faithful model of what the revert job records: each object left in place as "unchanged",
// then each delete, dependents first, as "deleted" or "failed"; the run fails when a delete failed. However the
// reverts interleave, fail and are retried, once every request is reverted nothing the portal created is left.
import { describe, expect, it } from "vitest";
import { sortForDelete } from "@/lib/k8s/apply-order";
import { describeRef, type ObjectRef } from "@/lib/k8s/object-ref";
import type { RecordedResult, RunStatus } from "./created-objects";
import {
  objectHistoryOf,
  planFromHistory,
  revertCandidates,
  type ObjectHistoryRow,
  type RevertPlan,
} from "./revert-plan";

type Outcome = "created" | "configured" | "unchanged";
interface Row {
  attempt: number;
  phase: RecordedResult["phase"];
  index: number;
  outcome: string;
  ref: ObjectRef;
}
interface Run {
  id: string;
  request: string;
  operation: RecordedResult["operation"];
  status: RunStatus;
  createdAt: Date;
  attempt: number;
  rows: Row[];
}

const identity = (ref: ObjectRef) =>
  `${ref.apiVersion.includes("/") ? ref.apiVersion.slice(0, ref.apiVersion.lastIndexOf("/")) : ""}|${ref.kind}|${ref.namespace ?? ""}|${ref.name}`;

/** Requests A, B, C… are REQ-1, REQ-2, REQ-3… */
class Cluster {
  runs: Run[] = [];
  /** What exists in the cluster, by identity (one object, whatever version it is read at). */
  objects = new Set<string>();
  private clock = 0;

  apply(request: string, objects: [ObjectRef, Outcome][]) {
    const run = this.start(request, "apply");
    objects.forEach(([ref, outcome], index) =>
      run.rows.push({
        attempt: 1,
        phase: "dry_run",
        index,
        outcome: outcome === "created" ? "created" : "unchanged",
        ref,
      }),
    );
    objects.forEach(([ref, outcome], index) => {
      run.rows.push({ attempt: 1, phase: "apply", index, outcome, ref });
      if (outcome === "created")
        expect(this.objects.has(identity(ref)), `${describeRef(ref)} is created only when absent`).toBe(false);
      this.objects.add(identity(ref));
    });
    run.status = "succeeded";
  }

  /** What the dialog, the endpoint and the job would plan now. */
  plan(request: string): RevertPlan {
    const results: RecordedResult[] = this.runs
      .filter((r) => r.request === request)
      .flatMap((run) =>
        run.rows.map((row) => ({
          runId: run.id,
          attempt: row.attempt,
          operation: run.operation,
          runStatus: run.status,
          phase: row.phase,
          index: row.index,
          outcome: row.outcome,
          apiVersion: row.ref.apiVersion,
          kind: row.ref.kind,
          namespace: row.ref.namespace ?? null,
          name: row.ref.name,
        })),
      );
    const rows: ObjectHistoryRow[] = this.runs.flatMap((run) =>
      run.rows.map((row) => ({
        ref: row.ref,
        requestId: run.request,
        number: numberOf(run.request),
        operation: run.operation,
        runStatus: run.status,
        runCreatedAt: run.createdAt,
        phase: row.phase,
        outcome: row.outcome,
      })),
    );
    const reverts = this.runs
      .filter((r) => r.operation === "revert" && r.status === "succeeded")
      .map((r) => ({ requestId: r.request, runCreatedAt: r.createdAt }));
    return planFromHistory(request, revertCandidates(results), objectHistoryOf(rows, reverts));
  }

  /** A new revert run; its first attempt plans and records as the job does. */
  revert(request: string, how: Attempt = {}) {
    const run = this.start(request, "revert");
    return { run, plan: this.attempt(run, how) };
  }

  /** The queue's retry of a run whose worker died: a new attempt plans again. */
  retry(run: Run, how: Attempt = {}) {
    expect(run.status, "only an unfinished run is retried").toBe("applying");
    run.attempt++;
    return this.attempt(run, how);
  }

  private attempt(run: Run, how: Attempt): RevertPlan {
    const plan = this.plan(run.request);
    let index = 0;
    const record = (ref: ObjectRef, outcome: string) =>
      run.rows.push({ attempt: run.attempt, phase: "delete", index: index++, outcome, ref });
    for (const left of plan.leftInPlace) record(left.ref, "unchanged");
    if (how.dieAfterLeftInPlace) return plan;
    let failed = false;
    for (const ref of sortForDelete(plan.toDelete)) {
      if (how.failOn?.includes(ref.name)) {
        failed = true;
        record(ref, "failed");
      } else {
        this.objects.delete(identity(ref));
        record(ref, "deleted");
      }
    }
    run.status = failed ? "failed" : "succeeded";
    return plan;
  }

  private start(request: string, operation: Run["operation"]): Run {
    const run: Run = {
      id: `run${this.runs.length + 1}`,
      request,
      operation,
      status: "applying",
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, this.clock++)),
      attempt: 1,
      rows: [],
    };
    this.runs.push(run);
    return run;
  }
}

interface Attempt {
  failOn?: string[];
  dieAfterLeftInPlace?: boolean;
}
const numberOf = (request: string) => request.charCodeAt(0) - "A".charCodeAt(0) + 1;
const ns: ObjectRef = { apiVersion: "v1", kind: "Namespace", name: "ns" };
const configMap = (name: string): ObjectRef => ({ apiVersion: "v1", kind: "ConfigMap", namespace: "ns", name });

/** "delete ConfigMap ns/b, Namespace ns; leave Namespace ns for REQ-1": the plan, deletes in the job's order. */
function summary(plan: RevertPlan): string {
  const deletes = sortForDelete(plan.toDelete).map(describeRef).join(", ");
  const left = plan.leftInPlace
    .map((l) => `${describeRef(l.ref)} for ${l.stillAppliedBy.map((h) => `REQ-${h.number}`).join(", ")}`)
    .join(", ");
  return [deletes && `delete ${deletes}`, left && `leave ${left}`].filter(Boolean).join("; ") || "nothing";
}
/** The rows the latest attempt of a run recorded: what the request page shows. */
const latestRows = (run: Run) =>
  run.rows
    .filter((r) => r.phase === "delete" && r.attempt === run.attempt)
    .map((r) => `${describeRef(r.ref)}:${r.outcome}`);

function expectAllReverted(cluster: Cluster, requests: string[]) {
  for (const request of requests)
    expect(summary(cluster.plan(request)), `REQ-${numberOf(request)} has nothing left to revert`).toBe("nothing");
  expect([...cluster.objects], "every object the portal created is deleted").toEqual([]);
}

describe("revert sequences: A created Namespace ns and ConfigMap a, B re-applied ns and created ConfigMap b", () => {
  const appliedAB = () => {
    const cluster = new Cluster();
    cluster.apply("A", [
      [ns, "created"],
      [configMap("a"), "created"],
    ]);
    cluster.apply("B", [
      [ns, "unchanged"],
      [configMap("b"), "created"],
    ]);
    return cluster;
  };

  it("B's revert leaves ns for A and fails on b; A's revert leaves ns for B; B's retry deletes ns (it no longer orphans it)", () => {
    const cluster = appliedAB();
    expect(summary(cluster.revert("B", { failOn: ["b"] }).plan)).toBe(
      "delete ConfigMap ns/b; leave Namespace ns for REQ-1",
    );
    // B's failed revert still holds ns: A leaves it for B rather than deleting it under B's ConfigMap.
    expect(summary(cluster.revert("A").plan)).toBe("delete ConfigMap ns/a; leave Namespace ns for REQ-2");
    const retry = cluster.revert("B");
    expect(summary(retry.plan)).toBe("delete ConfigMap ns/b, Namespace ns");
    expect(retry.plan.inherited.map((i) => i.createdBy.map((c) => c.number))).toEqual([[1]]);
    expect(retry.run.status).toBe("succeeded");
    expectAllReverted(cluster, ["A", "B"]);
  });

  it("the mirror: A's revert leaves ns for B and fails on a; B's revert leaves ns for A; A's retry deletes ns", () => {
    const cluster = appliedAB();
    expect(summary(cluster.revert("A", { failOn: ["a"] }).plan)).toBe(
      "delete ConfigMap ns/a; leave Namespace ns for REQ-2",
    );
    expect(summary(cluster.revert("B").plan)).toBe("delete ConfigMap ns/b; leave Namespace ns for REQ-1");
    expect(summary(cluster.revert("A").plan)).toBe("delete ConfigMap ns/a, Namespace ns");
    expectAllReverted(cluster, ["A", "B"]);
  });

  it("A's worker dies after recording ns as left for B: the retried attempt plans ns again, and records and names it", () => {
    const cluster = appliedAB();
    const { run } = cluster.revert("A", { dieAfterLeftInPlace: true });
    expect(latestRows(run)).toEqual(["Namespace ns:unchanged"]);
    expect(summary(cluster.retry(run))).toBe("delete ConfigMap ns/a; leave Namespace ns for REQ-2");
    // The request page shows only the latest attempt: it still says where ns went.
    expect(latestRows(run)).toEqual(["Namespace ns:unchanged", "ConfigMap ns/a:deleted"]);
    expect(run.status).toBe("succeeded");
    expect(summary(cluster.revert("B").plan)).toBe("delete ConfigMap ns/b, Namespace ns");
    expectAllReverted(cluster, ["A", "B"]);
  });

  it("A's worker dies after recording ns as left for B, B is reverted meanwhile (leaving ns for A): A's retry deletes ns", () => {
    const cluster = appliedAB();
    const { run } = cluster.revert("A", { dieAfterLeftInPlace: true });
    expect(summary(cluster.revert("B").plan)).toBe("delete ConfigMap ns/b; leave Namespace ns for REQ-1");
    expect(summary(cluster.retry(run))).toBe("delete ConfigMap ns/a, Namespace ns");
    expectAllReverted(cluster, ["A", "B"]);
  });

  it("both reverts fail after leaving ns for each other: the retries, in either order, delete ns", () => {
    for (const order of [
      ["A", "B"],
      ["B", "A"],
    ]) {
      const cluster = appliedAB();
      cluster.revert("A", { failOn: ["a"] });
      cluster.revert("B", { failOn: ["b"] });
      expect(summary(cluster.revert(order[0]!).plan)).toBe(
        `delete ConfigMap ns/${order[0]!.toLowerCase()}; leave Namespace ns for REQ-${numberOf(order[1]!)}`,
      );
      expect(summary(cluster.revert(order[1]!).plan)).toBe(
        `delete ConfigMap ns/${order[1]!.toLowerCase()}, Namespace ns`,
      );
      expectAllReverted(cluster, ["A", "B"]);
    }
  });
});

describe("revert sequences: the same HorizontalPodAutoscaler under two versions of autoscaling (a generator upgrade)", () => {
  // A created it as autoscaling/v2beta2; B, generated later, applied it as autoscaling/v2: one object in the cluster.
  const hpa = (apiVersion: string): ObjectRef => ({
    apiVersion,
    kind: "HorizontalPodAutoscaler",
    namespace: "ns",
    name: "model-server",
  });
  const appliedAB = () => {
    const cluster = new Cluster();
    cluster.apply("A", [
      [ns, "created"],
      [hpa("autoscaling/v2beta2"), "created"],
    ]);
    cluster.apply("B", [
      [ns, "unchanged"],
      [hpa("autoscaling/v2"), "configured"],
    ]);
    return cluster;
  };

  it("A's revert leaves it for B (it does not delete B's autoscaler); B's revert deletes it", () => {
    const cluster = appliedAB();
    expect(summary(cluster.revert("A").plan)).toBe(
      "leave Namespace ns for REQ-2, HorizontalPodAutoscaler ns/model-server for REQ-2",
    );
    expect(cluster.objects.size).toBe(2);
    const { plan } = cluster.revert("B");
    expect(summary(plan)).toBe("delete HorizontalPodAutoscaler ns/model-server, Namespace ns");
    expect(plan.toDelete.find((r) => r.kind === "HorizontalPodAutoscaler")?.apiVersion).toBe("autoscaling/v2");
    expectAllReverted(cluster, ["A", "B"]);
  });

  it("B's revert leaves it for A; A's revert deletes it", () => {
    const cluster = appliedAB();
    expect(summary(cluster.revert("B").plan)).toBe(
      "leave Namespace ns for REQ-1, HorizontalPodAutoscaler ns/model-server for REQ-1",
    );
    expect(summary(cluster.revert("A").plan)).toBe("delete HorizontalPodAutoscaler ns/model-server, Namespace ns");
    expectAllReverted(cluster, ["A", "B"]);
  });
});

import { describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { refOf } from "@/lib/k8s/object-ref";
import { nameConflicts } from "./name-conflicts";
import { objectKey } from "./object-identity";

const noOwnership = { own: new Set<string>(), others: new Map() };
const job = (name: string, parallelism = 1): KubernetesObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, namespace: "ml-training" },
  spec: { parallelism },
});
const namespace: KubernetesObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-training" } };
const config: KubernetesObject = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings", namespace: "ml-training" },
  data: { a: "1" },
};
const key = (o: KubernetesObject) => objectKey(refOf(o));

describe("nameConflicts", () => {
  it("reports a workload another open request would create, naming it and its state, as blocking", () => {
    const conflicts = nameConflicts({
      objects: [namespace, job("train")],
      dryRun: [
        { ref: refOf(namespace), outcome: "unchanged" },
        { ref: refOf(job("train")), outcome: "created" },
      ],
      ownership: noOwnership,
      openRequests: [{ number: 7, status: "pending_approval", objects: [namespace, job("train", 4)] }],
    });
    expect(conflicts).toEqual([
      {
        ref: refOf(job("train")),
        source: "open",
        owners: [{ number: 7 }],
        blocking: true,
        message:
          "Job ml-training/train is also in REQ-7 (pending approval), not applied yet: rename the job in one of the two requests, or reject one, so the second apply does not overwrite the first",
      },
    ]);
  });

  it("shares an object another open request would create exactly alike, and every Namespace", () => {
    expect(
      nameConflicts({
        objects: [namespace, config],
        dryRun: [],
        ownership: noOwnership,
        openRequests: [{ number: 7, status: "approved", objects: [namespace, config] }],
      }),
    ).toEqual([]);
  });

  it("reports an object already in the cluster that no request applied, when the apply would change it", () => {
    const conflicts = nameConflicts({
      objects: [job("hand-made"), config],
      dryRun: [
        { ref: refOf(job("hand-made")), outcome: "configured" },
        { ref: refOf(config), outcome: "configured" },
      ],
      ownership: noOwnership,
      openRequests: [],
    });
    expect(conflicts.map((c) => [c.source, c.ref.name, c.blocking])).toEqual([
      ["unmanaged", "hand-made", true],
      ["unmanaged", "settings", false],
    ]);
    expect(conflicts[0]!.message).toBe(
      "Job ml-training/hand-made already exists in the cluster and no request applied it: rename the job, or delete the existing one if it is no longer needed",
    );
  });

  it("leaves out what the cluster holds unchanged, what is new, and what this request applied itself", () => {
    expect(
      nameConflicts({
        objects: [job("same"), job("new"), job("mine")],
        dryRun: [
          { ref: refOf(job("same")), outcome: "unchanged" },
          { ref: refOf(job("new")), outcome: "created" },
          { ref: refOf(job("mine")), outcome: "configured" },
        ],
        ownership: { own: new Set([key(job("mine"))]), others: new Map() },
        openRequests: [],
      }),
    ).toEqual([]);
  });

  it("reports another request's applied object the apply would change, before any open request's", () => {
    const conflicts = nameConflicts({
      objects: [job("train")],
      dryRun: [{ ref: refOf(job("train")), outcome: "configured" }],
      ownership: {
        own: new Set(),
        others: new Map([[key(job("train")), [{ requestId: "r3", number: 3, runCreatedAt: new Date(0) }]]]),
      },
      openRequests: [{ number: 9, status: "pending_approval", objects: [job("train", 2)] }],
    });
    expect(conflicts).toEqual([
      expect.objectContaining({
        source: "applied",
        owners: [{ number: 3 }],
        message: "Job ml-training/train belongs to REQ-3: rename the job or revert REQ-3",
      }),
    ]);
  });
});

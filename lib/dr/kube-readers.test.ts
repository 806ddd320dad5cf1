import { describe, expect, it } from "vitest";
import { chooseRollbackTarget, countReadyPods, newestCompletedBackup, readRolloutStatus, readVeleroStatus, runsTemplate } from "./kube-readers";

const deployment = { metadata: { name: "m", uid: "d1", generation: 3, annotations: { "deployment.kubernetes.io/revision": "3" } }, spec: { replicas: 2, template: { metadata: { labels: { app: "m" } }, spec: { containers: [{ image: "v3" }] } } } };
const rs = (revision: number, image: string, owner = "d1") => ({
  metadata: { name: `m-${revision}`, uid: `rs${revision}`, creationTimestamp: `2026-03-01T0${revision}:00:00Z`, annotations: { "deployment.kubernetes.io/revision": String(revision) }, ownerReferences: [{ uid: owner }] },
  spec: { template: { metadata: { labels: { app: "m", "pod-template-hash": `h${revision}` } }, spec: { containers: [{ image }] } } },
});

describe("chooseRollbackTarget (what kubectl rollout undo picks)", () => {
  it("takes the highest revision below the current one and drops the pod-template-hash label", () => {
    const r = chooseRollbackTarget(deployment, [rs(1, "v1"), rs(2, "v2"), rs(3, "v3"), rs(9, "other", "someone-else")]);
    expect(r).toMatchObject({ ok: true, target: { replicaSetName: "m-2", fromRevision: 3, toRevision: 2, createdAt: "2026-03-01T02:00:00.000Z", template: { metadata: { labels: { app: "m" } } } } });
  });
  it.each([
    [[rs(3, "v3")], undefined, "has no previous revision to roll back to (current revision 3)"],
    [[rs(1, "v1"), rs(3, "v3")], 2, "has no revision 2: pick one of 1, 3"],
    [[rs(3, "v3")], 3, "already runs revision 3"],
  ])("explains why it cannot roll back (%#)", (sets, to, message) => {
    const r = chooseRollbackTarget(deployment, sets, to);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(message);
  });
  it("recognises a deployment already running the target template (a resumed undo must not flip back)", () => {
    const r = chooseRollbackTarget(deployment, [rs(2, "v2"), rs(3, "v3")]);
    if (!r.ok) throw new Error(r.reason);
    expect(runsTemplate(deployment, r.target.template)).toBe(false);
    expect(runsTemplate({ ...deployment, spec: { ...deployment.spec, template: r.target.template } }, r.target.template)).toBe(true);
  });
});

describe("readRolloutStatus", () => {
  const status = (s: object, generation = 3) => ({ ...deployment, metadata: { ...deployment.metadata, generation }, status: s });
  it.each([
    [status({ observedGeneration: 2 }), "waiting for the rollout to be observed"],
    [status({ observedGeneration: 3, updatedReplicas: 1, replicas: 2, availableReplicas: 2 }), "1 of 2 updated replicas"],
    [status({ observedGeneration: 3, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }), "1 old replicas pending termination"],
    [status({ observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }), "1 of 2 updated replicas available"],
  ])("not done: %#", (d, message) => {
    expect(readRolloutStatus(d)).toEqual({ done: false, message });
  });
  it("done when every replica is updated and available", () => {
    expect(readRolloutStatus(status({ observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }))).toEqual({ done: true });
  });
});

describe("Velero and pods", () => {
  it("uses the newest Completed backup, ignoring newer failed or running ones", () => {
    const b = (name: string, phase: string, created: string) => readVeleroStatus({ metadata: { name, namespace: "velero", creationTimestamp: created }, status: { phase } });
    expect(newestCompletedBackup([b("old", "Completed", "2026-03-01T01:00:00Z"), b("good", "Completed", "2026-03-01T02:00:00Z"), b("bad", "PartiallyFailed", "2026-03-01T03:00:00Z"), b("run", "InProgress", "2026-03-01T04:00:00Z")])?.name).toBe("good");
  });
  it("counts only Running pods whose Ready condition is True", () => {
    const pod = (name: string, phase: string, ready: string) => ({ metadata: { name }, status: { phase, conditions: [{ type: "Ready", status: ready }] } });
    expect(countReadyPods([pod("a", "Running", "True"), pod("b", "Running", "False"), pod("c", "Pending", "True")])).toEqual({ ready: 1, total: 3, names: ["a"] });
  });
});

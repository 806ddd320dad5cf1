import { describe, expect, it } from "vitest";
import {
  chooseRollbackTarget,
  countReadyPods,
  expectedReplicas,
  newestCompletedBackup,
  podsCreatedSince,
  previousScheduledBackup,
  readRolloutStatus,
  readVeleroStatus,
  recoveryPointOf,
  runsTemplate,
  startedAfterCanary,
} from "./kube-readers";

const deployment = {
  metadata: { name: "m", uid: "d1", generation: 3, annotations: { "deployment.kubernetes.io/revision": "3" } },
  spec: { replicas: 2, template: { metadata: { labels: { app: "m" } }, spec: { containers: [{ image: "v3" }] } } },
};
const rs = (revision: number, image: string, owner = "d1") => ({
  metadata: {
    name: `m-${revision}`,
    uid: `rs${revision}`,
    creationTimestamp: `2026-03-01T0${revision}:00:00Z`,
    annotations: { "deployment.kubernetes.io/revision": String(revision) },
    ownerReferences: [{ uid: owner }],
  },
  spec: {
    template: {
      metadata: { labels: { app: "m", "pod-template-hash": `h${revision}` } },
      spec: { containers: [{ image }] },
    },
  },
});

describe("chooseRollbackTarget (what kubectl rollout undo picks)", () => {
  it("takes the highest revision below the current one and drops the pod-template-hash label", () => {
    const r = chooseRollbackTarget(deployment, [rs(1, "v1"), rs(2, "v2"), rs(3, "v3"), rs(9, "other", "someone-else")]);
    expect(r).toMatchObject({
      ok: true,
      target: {
        replicaSetName: "m-2",
        fromRevision: 3,
        toRevision: 2,
        createdAt: "2026-03-01T02:00:00.000Z",
        template: { metadata: { labels: { app: "m" } } },
      },
    });
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
    expect(
      runsTemplate({ ...deployment, spec: { ...deployment.spec, template: r.target.template } }, r.target.template),
    ).toBe(true);
  });
});

describe("readRolloutStatus", () => {
  const status = (s: object, generation = 3) => ({
    ...deployment,
    metadata: { ...deployment.metadata, generation },
    status: s,
  });
  it.each([
    [status({ observedGeneration: 2 }), "waiting for the rollout to be observed"],
    [
      status({ observedGeneration: 3, updatedReplicas: 1, replicas: 2, availableReplicas: 2 }),
      "1 of 2 updated replicas",
    ],
    [
      status({ observedGeneration: 3, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }),
      "1 old replicas pending termination",
    ],
    [
      status({ observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }),
      "1 of 2 updated replicas available",
    ],
  ])("not done: %#", (d, message) => {
    expect(readRolloutStatus(d)).toEqual({ done: false, message });
  });
  it("done when every replica is updated and available", () => {
    expect(
      readRolloutStatus(status({ observedGeneration: 3, updatedReplicas: 2, replicas: 2, availableReplicas: 2 })),
    ).toEqual({ done: true });
  });
});

describe("Velero and pods", () => {
  it("uses the newest Completed backup, ignoring newer failed or running ones", () => {
    const b = (name: string, phase: string, created: string) =>
      readVeleroStatus({ metadata: { name, namespace: "velero", creationTimestamp: created }, status: { phase } });
    expect(
      newestCompletedBackup([
        b("old", "Completed", "2026-03-01T01:00:00Z"),
        b("good", "Completed", "2026-03-01T02:00:00Z"),
        b("bad", "PartiallyFailed", "2026-03-01T03:00:00Z"),
        b("run", "InProgress", "2026-03-01T04:00:00Z"),
      ])?.name,
    ).toBe("good");
  });
  it("counts only Running pods whose Ready condition is True", () => {
    const pod = (name: string, phase: string, ready: string) => ({
      metadata: { name },
      status: { phase, conditions: [{ type: "Ready", status: ready }] },
    });
    expect(
      countReadyPods([pod("a", "Running", "True"), pod("b", "Running", "False"), pod("c", "Pending", "True")]),
    ).toEqual({ ready: 1, total: 3, names: ["a"] });
  });
});

describe("the recovery point (status.startTimestamp)", () => {
  const hour = 3600_000;
  const now = Date.parse("2026-03-01T12:00:00Z");
  const iso = (ms: number) => new Date(ms).toISOString();
  // Two backups synced onto a rebuilt cluster: creationTimestamp is the sync time (the older one synced last).
  const synced = (name: string, startedAgoH: number, syncedAgoMin: number, labels: Record<string, string> = {}) =>
    readVeleroStatus({
      metadata: { name, namespace: "velero", labels, creationTimestamp: iso(now - syncedAgoMin * 60_000) },
      status: { phase: "Completed", startTimestamp: iso(now - startedAgoH * hour) },
    });

  it("picks the backup whose data is newest, not the one synced last", () => {
    const newest = newestCompletedBackup([synced("twelve-hours", 12, 1), synced("six-hours", 6, 2)]);
    expect(newest?.name).toBe("six-hours");
    expect(recoveryPointOf(newest!)).toEqual({ at: iso(now - 6 * hour), source: "status.startTimestamp" });
  });

  it("falls back to creationTimestamp only when startTimestamp is absent, and says so", () => {
    const bare = readVeleroStatus({
      metadata: { name: "old", namespace: "velero", creationTimestamp: iso(now - hour) },
      status: { phase: "Completed" },
    });
    expect(recoveryPointOf(bare)).toEqual({ at: iso(now - hour), source: "metadata.creationTimestamp" });
  });

  it("never counts a backup a drill made, nor one started after the drill began", () => {
    const drillMade = synced("drill-backup", 0.1, 1, { "portal.dr/drill-run": "run-1" });
    const afterStart = synced("after-start", 0.05, 1);
    expect(
      newestCompletedBackup([synced("six-hours", 6, 2), drillMade, afterStart], { before: now - 0.08 * hour })?.name,
    ).toBe("six-hours");
  });
});

describe("rollout conditions and expected pods", () => {
  const base = {
    ...deployment,
    status: { observedGeneration: 3, updatedReplicas: 1, replicas: 2, availableReplicas: 1 },
  };
  it("fails at once when the progress deadline was exceeded or the Deployment is paused", () => {
    const stalled = {
      ...base,
      status: {
        ...base.status,
        conditions: [
          {
            type: "Progressing",
            status: "False",
            reason: "ProgressDeadlineExceeded",
            message: "ReplicaSet m-3 has timed out progressing.",
          },
        ],
      },
    };
    expect(readRolloutStatus(stalled)).toMatchObject({
      done: false,
      failed: true,
      message: expect.stringContaining("ProgressDeadlineExceeded"),
    });
    expect(readRolloutStatus({ ...base, spec: { ...base.spec, paused: true } })).toMatchObject({
      done: false,
      failed: true,
      message: expect.stringContaining("paused"),
    });
    expect(readRolloutStatus(base)).toEqual({ done: false, message: "1 of 2 updated replicas" });
  });
  it("expects the replicas of the Deployments whose pods the selector matches", () => {
    const other = {
      metadata: { name: "other" },
      spec: { replicas: 5, template: { metadata: { labels: { app: "other" } } } },
    };
    expect(expectedReplicas([deployment, other], "app=m")).toEqual({ expected: 2, from: ["m (2)"] });
    expect(expectedReplicas([deployment, other], "app!=m")).toEqual({ expected: 5, from: ["other (5)"] });
  });
  it("counts only pods created at or after the failure instant", () => {
    const pod = (name: string, created: string) => ({ metadata: { name, creationTimestamp: created } });
    const pods = [pod("survivor", "2026-03-01T09:59:59Z"), pod("new", "2026-03-01T10:00:00Z")];
    expect(
      podsCreatedSince(pods, Date.parse("2026-03-01T10:00:00.400Z")).map(
        (p) => (p as { metadata: { name: string } }).metadata.name,
      ),
    ).toEqual(["new"]);
  });
});

describe("startedAfterCanary", () => {
  it("refuses a backup whose start second holds the canary write: it may have started before it", () => {
    expect(startedAfterCanary("2026-03-01T10:00:01Z", "2026-03-01T10:00:01.400Z")).toBe(false);
  });
  it("accepts a backup that started in a later second, or exactly at the write", () => {
    expect(startedAfterCanary("2026-03-01T10:00:02Z", "2026-03-01T10:00:01.400Z")).toBe(true);
    expect(startedAfterCanary("2026-03-01T10:00:01Z", "2026-03-01T10:00:01.000Z")).toBe(true);
  });
  it("refuses a backup that has not started", () => {
    expect(startedAfterCanary(null, "2026-03-01T10:00:01.400Z")).toBe(false);
  });
});

describe("previousScheduledBackup", () => {
  const backup = (name: string, startedAt: string, schedule = "nightly", phase = "Completed") => ({
    ...readVeleroStatus({
      metadata: { name, namespace: "velero", labels: { "velero.io/schedule-name": schedule } },
      status: { phase, startTimestamp: startedAt },
    }),
  });
  it("finds the schedule's last Completed backup before the given one, ignoring other schedules and failures", () => {
    const chosen = backup("nightly-3", "2026-03-03T00:00:00Z");
    const listed = [
      backup("nightly-1", "2026-03-01T00:00:00Z"),
      backup("nightly-2", "2026-03-02T00:00:00Z", "nightly", "PartiallyFailed"),
      backup("hourly-9", "2026-03-02T23:00:00Z", "hourly"),
      chosen,
      backup("nightly-4", "2026-03-04T00:00:00Z"),
    ];
    expect(previousScheduledBackup(listed, chosen)?.name).toBe("nightly-1");
  });
  it("has none for a backup no schedule made", () => {
    const manual = readVeleroStatus({
      metadata: { name: "m" },
      status: { phase: "Completed", startTimestamp: "2026-03-03T00:00:00Z" },
    });
    expect(previousScheduledBackup([manual], manual)).toBeNull();
  });
});

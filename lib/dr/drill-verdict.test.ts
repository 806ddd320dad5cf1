import { describe, expect, it } from "vitest";
import { decideVerdict, formatDuration } from "./drill-verdict";
import type { StepOutput, StepRecord } from "./step-record";

const start = new Date("2026-03-01T10:00:00Z");
const at = (sec: number) => new Date(start.getTime() + sec * 1000);
const plan = { rtoMinutes: 15, rpoMinutes: 60, allowRestoreWarnings: false };
const run = { startedAt: start, aborted: false };

function step(
  index: number,
  type: string,
  output: StepOutput,
  state: StepRecord["state"] = "succeeded",
  endSec = index * 10 + 10,
): StepRecord {
  return {
    index,
    name: `step ${index + 1}`,
    type,
    state,
    startedAt: at(index * 10),
    finishedAt: at(endSec),
    output,
    error: state === "failed" ? "boom" : null,
  };
}

const verified = step(0, "verify_backup", {
  backup: {
    name: "b-old",
    namespace: "velero",
    phase: "Completed",
    createdAt: "2026-03-01T09:20:00Z",
    errors: 0,
    warnings: 0,
  },
});
const restored = (phase = "Completed", errors = 0, warnings = 0) =>
  step(1, "create_restore", {
    restore: {
      name: "r1",
      namespace: "velero",
      backupName: "b-old",
      backupCreatedAt: "2026-03-01T09:20:00Z",
      phase,
      errors,
      warnings,
      itemsRestored: 7,
    },
  });
const health = (passSec: number) =>
  step(
    2,
    "http_health_check",
    { health: { url: "http://h/health", status: 200, attempts: 3, passedAt: at(passSec).toISOString() } },
    "succeeded",
    passSec,
  );

describe("decideVerdict", () => {
  it("measures RTO to the first passing health check and RPO from the backup used", () => {
    const v = decideVerdict(plan, run, [verified, restored(), health(312)]);
    expect(v.status).toBe("passed");
    expect(v.rto.seconds).toBe(312);
    expect(v.rpo.seconds).toBe(40 * 60);
    expect(v.evidence.backup).toMatchObject({ name: "b-old", usedBy: "restore r1" });
  });

  it("takes the first of several passing health checks, not the last", () => {
    const second = { ...health(500), index: 3, name: "step 4" };
    expect(decideVerdict(plan, run, [verified, restored(), health(312), second]).rto.seconds).toBe(312);
  });

  describe("with in-cluster model probes", () => {
    const restoredOn = (cluster: string) => {
      const r = restored();
      return { ...r, output: { restore: { ...r.output.restore!, cluster } } };
    };
    const probe = (index: number, passSec: number, cluster: string, matches = [true, true]) =>
      step(
        index,
        "model_probe",
        {
          probe: {
            url: "http://model.ml-inference.svc:8000/v1/completions",
            namespace: "ml-inference",
            cluster,
            golden: "verify",
            job: `probe-${index}`,
            attempts: 1,
            results: matches.map(() => ({ status: 200, sha256: "x" })),
            matches,
            passedAt: at(passSec).toISOString(),
          },
          health: { url: "http://model", status: 200, attempts: 1, passedAt: at(passSec).toISOString() },
        },
        "succeeded",
        passSec,
      );

    it("ends RTO at the first fully passing probe on the restore's cluster, ignoring health checks", () => {
      const v = decideVerdict(plan, run, [
        verified,
        restoredOn("standby"),
        health(30),
        probe(3, 400, "primary"),
        probe(4, 420, "standby", [true, false]),
        probe(5, 450, "standby"),
        probe(6, 600, "standby"),
      ]);
      expect(v.rto.seconds).toBe(450);
      expect(v.rto.basis).toContain("first fully passing in-cluster model probe (step 6 (step 6) on standby) at");
    });

    it("measures nothing when no probe on the restore's cluster passed every request", () => {
      const v = decideVerdict(plan, run, [
        verified,
        restoredOn("standby"),
        health(30),
        probe(3, 400, "primary"),
        probe(4, 420, "standby", [true, false]),
      ]);
      expect(v.rto).toEqual({
        seconds: null,
        basis: "no in-cluster model probe passed every golden request on standby after the restore",
      });
    });
  });

  it("fails a restore that ended PartiallyFailed, with the reason", () => {
    const v = decideVerdict(plan, run, [verified, restored("PartiallyFailed", 1, 2), health(100)]);
    expect(v.status).toBe("failed");
    expect(v.reason).toContain("restore r1 ended PartiallyFailed with 1 error, 2 warnings");
  });

  it("passes that restore when the plan allows warnings, and notes it", () => {
    const v = decideVerdict({ ...plan, allowRestoreWarnings: true }, run, [
      verified,
      restored("PartiallyFailed", 1, 2),
      health(100),
    ]);
    expect(v.status).toBe("passed");
    expect(v.evidence.notes[0]).toContain("accepted because the plan allows restore warnings");
  });

  it.each([
    ["RTO over target", [verified, restored(), health(16 * 60)], /^RTO 16m 00s exceeds the target of 15m 00s/],
    [
      "RPO over target",
      [
        { ...verified, output: { backup: { ...verified.output.backup!, createdAt: "2026-03-01T08:00:00Z" } } },
        health(60),
      ],
      /^RPO 2h 00m exceeds the target of 1h 00m/,
    ],
    [
      "a failed step",
      [verified, { ...restored(), state: "failed" as const, error: "boom" }],
      /^step 2 \(step 2\) failed: boom/,
    ],
    ["no recovery point", [health(60)], /^RPO could not be measured/],
  ])("fails on %s", (_label, steps, reason) => {
    const v = decideVerdict(plan, run, steps as StepRecord[]);
    expect(v.status).toBe("failed");
    expect(v.reason).toMatch(reason);
  });

  it("reports an abort as aborted, whatever else happened", () => {
    const v = decideVerdict(plan, { ...run, aborted: true, abortedBy: "sre@x", abortReason: "game day over" }, [
      verified,
      { ...restored(), state: "rolled_back" as const },
    ]);
    expect(v).toMatchObject({ status: "aborted", reason: "aborted by sre@x during step 2 (step 2): game day over" });
  });

  it("gives a rollout undo no RPO (n/a), in a dry run as in a live one", () => {
    const undo = step(0, "rollout_undo", {
      rollout: {
        deployment: "m",
        namespace: "ns",
        fromRevision: 3,
        toRevision: 2,
        targetReplicaSet: "m-abc",
        targetCreatedAt: "2026-03-01T09:30:00Z",
      },
    });
    const v = decideVerdict(plan, run, [undo, health(90)]);
    expect(v.rpo).toMatchObject({
      seconds: null,
      notApplicable: true,
      basis: expect.stringMatching(/^n\/a: recovered by rollout undo of ns\/m to revision 2/),
    });
    expect(v.status).toBe("passed");
  });

  it("shows no RPO for an aborted run, even after a restore", () => {
    const v = decideVerdict(plan, { ...run, aborted: true }, [verified, restored(), health(100)]);
    expect(v.rpo).toMatchObject({
      seconds: null,
      basis: "not measured: the drill was aborted before it proved a recovery",
    });
    expect(v.rto.seconds).toBeNull();
  });

  it("measures no RPO when the restore failed or never ran, whatever backup was verified", () => {
    expect(decideVerdict(plan, run, [verified, restored("FailedValidation")]).rpo).toMatchObject({
      seconds: null,
      basis: "restore r1 ended FailedValidation, so no backup was recovered",
    });
    const neverRan = { ...restored(), state: "skipped" as const, output: {} };
    expect(decideVerdict(plan, run, [verified, neverRan]).rpo.seconds).toBeNull();
  });
});

describe("formatDuration", () => {
  it.each([
    [null, "not measured"],
    [42, "42s"],
    [312, "5m 12s"],
    [3600 * 2 + 60 * 5, "2h 05m"],
  ])("%s → %s", (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});

describe("a verify step that failed on the backup's age", () => {
  it("still measures RPO from the newest backup it found", () => {
    const stale = {
      ...verified,
      state: "failed" as const,
      error: "too old",
      output: { backup: { ...verified.output.backup!, createdAt: "2026-03-01T07:00:00Z" } },
    };
    const v = decideVerdict(plan, run, [stale]);
    expect(v.rpo.seconds).toBe(3 * 3600);
    expect(v.status).toBe("failed");
  });
});

describe("RTO and RPO from the injected failure", () => {
  const failureAt = at(100);
  const inject = step(1, "inject_failure", {
    failure: {
      kind: "delete_namespace",
      namespace: "ml-inference",
      injectedAt: failureAt.toISOString(),
      confirmedAt: at(104).toISOString(),
    },
  });
  // Synced onto this cluster 1 minute ago (creationTimestamp), but its data is from 09:00 (startTimestamp).
  const syncedBackup = {
    name: "b-synced",
    namespace: "velero",
    phase: "Completed",
    createdAt: at(-60).toISOString(),
    startedAt: "2026-03-01T09:00:00.000Z",
    recoveryPointAt: "2026-03-01T09:00:00.000Z",
    recoveryPointSource: "status.startTimestamp" as const,
    errors: 0,
    warnings: 0,
  };
  const verify = step(0, "verify_backup", { backup: syncedBackup });
  const restore = step(2, "create_restore", {
    restore: {
      name: "r1",
      namespace: "velero",
      backupName: "b-synced",
      backupCreatedAt: syncedBackup.createdAt,
      backupRecoveryPointAt: syncedBackup.recoveryPointAt,
      backupRecoveryPointSource: "status.startTimestamp",
      phase: "Completed",
      errors: 0,
      warnings: 0,
      itemsRestored: 14,
    },
  });
  const healthAt = (sec: number, index = 3) => ({
    ...step(index, "http_health_check", {
      health: { url: "http://h/health", status: 200, attempts: 1, passedAt: at(sec).toISOString() },
    }),
    name: `health ${index}`,
  });

  it("measures RTO from the failure instant to the health check and RPO as the backup's start age at that instant", () => {
    const v = decideVerdict({ ...plan, rpoMinutes: 120 }, run, [verify, inject, restore, healthAt(400)]);
    expect(v.rto).toMatchObject({ seconds: 300 });
    expect(v.rto.basis).toContain(
      `failure injected at ${failureAt.toISOString()} (step 2 (step 2): delete_namespace ml-inference)`,
    );
    expect(v.rpo.seconds).toBe(3600 + 100);
    expect(v.rpo.basis).toContain(
      "start of backup b-synced at 2026-03-01T09:00:00.000Z (status.startTimestamp), used by restore r1 = 3700 s",
    );
    expect(v.status).toBe("passed");
  });

  it("does not count a health check that passed before the failure", () => {
    const early = healthAt(50, 0);
    const v = decideVerdict(plan, run, [
      { ...early, index: 0 },
      { ...inject, index: 1 },
    ]);
    expect(v.rto.seconds).toBeNull();
    expect(v.status).toBe("failed");
  });

  it("never takes a backup made inside the drill as the recovery point", () => {
    const inRun = step(2, "create_restore", {
      restore: {
        name: "r2",
        namespace: "velero",
        backupName: "drill-x-backup-1",
        backupCreatedInRun: true,
        backupRecoveryPointAt: at(90).toISOString(),
        phase: "Completed",
        errors: 0,
        warnings: 0,
        itemsRestored: 5,
      },
    });
    const alone = decideVerdict(plan, run, [inject, inRun, healthAt(400)]);
    expect(alone.rpo.seconds).toBeNull();
    expect(alone.reason).toMatch(/^RPO could not be measured: the only backup restored was made inside the drill/);
    // A verified backup that was not the one restored is not the recovery point either.
    const withVerified = decideVerdict({ ...plan, rpoMinutes: 120 }, run, [verify, inject, inRun, healthAt(400)]);
    expect(withVerified.rpo.seconds).toBeNull();
    expect(withVerified.evidence.backup).toBeUndefined();
  });

  it("never takes an unrelated backup as a rollout undo's recovery point", () => {
    const corrupt = step(1, "inject_failure", {
      failure: { kind: "corrupt_model", namespace: "ml", deployment: "m", injectedAt: failureAt.toISOString() },
    });
    const undo = step(2, "rollout_undo", {
      rollout: {
        deployment: "m",
        namespace: "ml",
        fromRevision: 4,
        toRevision: 3,
        targetReplicaSet: "m-3",
        targetCreatedAt: "2026-03-01T09:50:00Z",
      },
    });
    const v = decideVerdict(plan, run, [verify, corrupt, undo, healthAt(200)]);
    expect(v.rpo).toMatchObject({ seconds: null, notApplicable: true });
    expect(v.status).toBe("passed");
    expect(v.reason).toContain("RPO n/a");
  });

  it("has no RPO when the undo returns to the revision that served until the injected corruption", () => {
    const corrupt = step(1, "inject_failure", {
      failure: {
        kind: "corrupt_model",
        namespace: "ml",
        deployment: "m",
        previousRevision: 3,
        injectedAt: failureAt.toISOString(),
      },
    });
    const undo = step(2, "rollout_undo", {
      rollout: {
        deployment: "m",
        namespace: "ml",
        fromRevision: 4,
        toRevision: 3,
        targetReplicaSet: "m-3",
        targetCreatedAt: "2026-02-01T09:50:00Z",
      },
    });
    const v = decideVerdict(plan, run, [verify, corrupt, undo, healthAt(200)]);
    expect(v.rpo).toMatchObject({
      seconds: null,
      notApplicable: true,
      basis: expect.stringMatching(
        /^n\/a: recovered by rollout undo of ml\/m to revision 3, which served until the corrupt model was injected/,
      ),
    });
    expect(v.status).toBe("passed");
  });

  it("fails when the restored canary differs or was never checked", () => {
    const canary = step(4, "write_canary", {
      canary: { namespace: "ml-inference", name: "dr-canary", checksum: "aaa", writtenAt: at(5).toISOString() },
    });
    const checked = (found: string) =>
      step(5, "verify_canary", {
        canaryCheck: {
          namespace: "ml-inference",
          name: "dr-canary",
          expectedChecksum: "aaa",
          foundChecksum: found,
          restoredBy: "r1",
          match: found === "aaa",
        },
      });
    const steps = [verify, inject, restore, healthAt(400)];
    expect(decideVerdict({ ...plan, rpoMinutes: 120 }, run, [...steps, canary, checked("aaa")]).status).toBe("passed");
    expect(decideVerdict({ ...plan, rpoMinutes: 120 }, run, [...steps, canary, checked("bbb")]).reason).toBe(
      "canary ml-inference/dr-canary does not match: sha256 bbb, expected aaa",
    );
    expect(decideVerdict({ ...plan, rpoMinutes: 120 }, run, [...steps, canary]).reason).toMatch(
      /never verified after the restore/,
    );
  });
});

describe("worst-case RPO", () => {
  const scheduled = (previousBackup?: { name: string; startedAt: string }, scheduleName?: string) =>
    step(0, "verify_backup", {
      backup: {
        name: "b-old",
        namespace: "velero",
        phase: "Completed",
        createdAt: "2026-03-01T09:20:00Z",
        startedAt: "2026-03-01T09:20:00Z",
        recoveryPointAt: "2026-03-01T09:20:00Z",
        recoveryPointSource: "status.startTimestamp",
        errors: 0,
        warnings: 0,
        ...(scheduleName ? { scheduleName } : {}),
        ...(previousBackup ? { previousBackup } : {}),
      },
    });

  it("is the gap between the restored backup and its schedule's previous backup, with how it was computed", () => {
    const outcome = decideVerdict(plan, run, [
      scheduled({ name: "b-older", startedAt: "2026-03-01T08:20:00Z" }, "nightly"),
      restored(),
      health(30),
    ]);
    expect(outcome.worstCaseRpo).toEqual({
      seconds: 3600,
      basis:
        "start of backup b-old at 2026-03-01T09:20:00Z − start of the previous Completed backup of schedule nightly, b-older, at 2026-03-01T08:20:00Z (status.startTimestamp) = 3600 s: an incident just before b-old would have restored b-older",
    });
    // The measured RPO stays the age of the restored backup at the failure instant.
    expect(outcome.rpo.seconds).toBe(2400);
  });

  it("fails the verdict when the schedule's gap exceeds the RPO target, reporting both RPOs", () => {
    const sparse = decideVerdict(plan, run, [
      scheduled({ name: "b-older", startedAt: "2026-03-01T07:20:00Z" }, "nightly"),
      restored(),
      health(30),
    ]);
    expect(sparse.status).toBe("failed");
    expect(sparse.reason).toBe(
      "the backup schedule cannot meet the RPO target: worst case 7200 s > target 3600 s; RTO 30s (target 15m 00s), RPO 40m 00s, worst-case RPO 2h 00m (target 1h 00m)",
    );
    const hourly = decideVerdict(plan, run, [
      scheduled({ name: "b-older", startedAt: "2026-03-01T08:20:00Z" }, "nightly"),
      restored(),
      health(30),
    ]);
    expect(hourly.status).toBe("passed");
    expect(hourly.reason).toMatch(/RPO 40m 00s, worst-case RPO 1h 00m \(target 1h 00m\)$/);
  });

  it("says why it is not measured when the schedule has no earlier backup or the backup has no schedule", () => {
    expect(decideVerdict(plan, run, [scheduled(undefined, "nightly"), restored(), health(30)]).worstCaseRpo).toEqual({
      seconds: null,
      basis: "not measured: schedule nightly has no Completed backup before b-old",
    });
    expect(decideVerdict(plan, run, [scheduled(), restored(), health(30)]).worstCaseRpo.basis).toMatch(
      /^not measured: backup b-old was not made by a Velero Schedule/,
    );
  });
});

describe("a restore that skipped existing objects", () => {
  const skipping = (restoredBy: string | null) => [
    verified,
    step(1, "create_restore", {
      restore: {
        name: "r1",
        namespace: "velero",
        backupName: "b-old",
        backupCreatedAt: "2026-03-01T09:20:00Z",
        phase: "Completed",
        errors: 0,
        warnings: 1,
        itemsRestored: 7,
        existingResourcePolicy: "none",
      },
    }),
    step(2, "verify_canary", {
      canaryCheck: {
        namespace: "ml",
        name: "dr-canary",
        expectedChecksum: "aaa",
        foundChecksum: "aaa",
        restoredBy,
        match: true,
      },
    }),
    health(40),
  ];
  const allowing = { ...plan, allowRestoreWarnings: true };

  it("does not pass on itemsRestored alone: Velero counts skipped objects", () => {
    expect(decideVerdict(allowing, run, skipping(null))).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("Velero counts skipped existing objects as restored"),
    });
  });
  it("passes when a canary this restore re-created proves it", () => {
    expect(decideVerdict(allowing, run, skipping("r1")).status).toBe("passed");
  });
});

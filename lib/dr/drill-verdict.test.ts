import { describe, expect, it } from "vitest";
import { decideVerdict, formatDuration } from "./drill-verdict";
import type { StepOutput, StepRecord } from "./step-record";

const start = new Date("2026-03-01T10:00:00Z");
const at = (sec: number) => new Date(start.getTime() + sec * 1000);
const plan = { rtoMinutes: 15, rpoMinutes: 60, allowRestoreWarnings: false };
const run = { startedAt: start, aborted: false };

function step(index: number, type: string, output: StepOutput, state: StepRecord["state"] = "succeeded", endSec = index * 10 + 10): StepRecord {
  return { index, name: `step ${index + 1}`, type, state, startedAt: at(index * 10), finishedAt: at(endSec), output, error: state === "failed" ? "boom" : null };
}

const verified = step(0, "verify_backup", { backup: { name: "b-old", namespace: "velero", phase: "Completed", createdAt: "2026-03-01T09:20:00Z", errors: 0, warnings: 0 } });
const restored = (phase = "Completed", errors = 0, warnings = 0) =>
  step(1, "create_restore", { restore: { name: "r1", namespace: "velero", backupName: "b-old", backupCreatedAt: "2026-03-01T09:20:00Z", phase, errors, warnings } });
const health = (passSec: number) => step(2, "http_health_check", { health: { url: "http://h/health", status: 200, attempts: 3, passedAt: at(passSec).toISOString() } }, "succeeded", passSec);

describe("decideVerdict", () => {
  it("measures RTO to the last passing health check and RPO from the backup used", () => {
    const v = decideVerdict(plan, run, [verified, restored(), health(312)]);
    expect(v.status).toBe("passed");
    expect(v.rto.seconds).toBe(312);
    expect(v.rpo.seconds).toBe(40 * 60);
    expect(v.evidence.backup).toMatchObject({ name: "b-old", usedBy: "restore r1" });
  });

  it("takes the latest of several passing health checks", () => {
    const second = { ...health(500), index: 3, name: "step 4" };
    expect(decideVerdict(plan, run, [verified, restored(), health(312), second]).rto.seconds).toBe(500);
  });

  it("fails a restore that ended PartiallyFailed, with the reason", () => {
    const v = decideVerdict(plan, run, [verified, restored("PartiallyFailed", 1, 2), health(100)]);
    expect(v.status).toBe("failed");
    expect(v.reason).toContain("restore r1 ended PartiallyFailed with 1 error, 2 warnings");
  });

  it("passes that restore when the plan allows warnings, and notes it", () => {
    const v = decideVerdict({ ...plan, allowRestoreWarnings: true }, run, [verified, restored("PartiallyFailed", 1, 2), health(100)]);
    expect(v.status).toBe("passed");
    expect(v.evidence.notes[0]).toContain("accepted because the plan allows restore warnings");
  });

  it.each([
    ["RTO over target", [verified, restored(), health(16 * 60)], /^RTO 16m 00s exceeds the target of 15m 00s/],
    ["RPO over target", [{ ...verified, output: { backup: { ...verified.output.backup!, createdAt: "2026-03-01T08:00:00Z" } } }, health(60)], /^RPO 2h 00m exceeds the target of 1h 00m/],
    ["a failed step", [verified, { ...restored(), state: "failed" as const, error: "boom" }], /^step 2 \(step 2\) failed: boom/],
    ["no recovery point", [health(60)], /^RPO could not be measured/],
  ])("fails on %s", (_label, steps, reason) => {
    const v = decideVerdict(plan, run, steps as StepRecord[]);
    expect(v.status).toBe("failed");
    expect(v.reason).toMatch(reason);
  });

  it("reports an abort as aborted, whatever else happened", () => {
    const v = decideVerdict(plan, { ...run, aborted: true, abortedBy: "sre@x", abortReason: "game day over" }, [verified, { ...restored(), state: "rolled_back" as const }]);
    expect(v).toMatchObject({ status: "aborted", reason: "aborted by sre@x during step 2 (step 2): game day over" });
  });

  it("uses the rolled-back revision as the recovery point when no backup was involved", () => {
    const undo = step(0, "rollout_undo", { rollout: { deployment: "m", namespace: "ns", fromRevision: 3, toRevision: 2, targetReplicaSet: "m-abc", targetCreatedAt: "2026-03-01T09:30:00Z" } });
    const v = decideVerdict(plan, run, [undo, health(90)]);
    expect(v.rpo.seconds).toBe(30 * 60);
    expect(v.status).toBe("passed");
  });
});

describe("formatDuration", () => {
  it.each([[null, "not measured"], [42, "42s"], [312, "5m 12s"], [3600 * 2 + 60 * 5, "2h 05m"]])("%s → %s", (s, text) => {
    expect(formatDuration(s)).toBe(text);
  });
});

describe("a verify step that failed on the backup's age", () => {
  it("still measures RPO from the newest backup it found", () => {
    const stale = { ...verified, state: "failed" as const, error: "too old", output: { backup: { ...verified.output.backup!, createdAt: "2026-03-01T07:00:00Z" } } };
    const v = decideVerdict(plan, run, [stale]);
    expect(v.rpo.seconds).toBe(3 * 3600);
    expect(v.status).toBe("failed");
  });
});

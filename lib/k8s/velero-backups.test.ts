import { describe, expect, it } from "vitest";
import { newestCompletedBackup, summarizeVeleroObject } from "./velero-backups";

const backup = (name: string, phase: string, created: string) =>
  summarizeVeleroObject("Backup", { metadata: { name, namespace: "velero", creationTimestamp: created }, status: { phase } });

describe("newestCompletedBackup", () => {
  it("ignores newer backups that did not complete cleanly", () => {
    const newest = newestCompletedBackup([
      backup("old", "Completed", "2026-01-01T00:00:00Z"),
      backup("mid", "Completed", "2026-01-02T00:00:00Z"),
      backup("partial", "PartiallyFailed", "2026-01-03T00:00:00Z"),
      backup("running", "InProgress", "2026-01-04T00:00:00Z"),
    ]);
    expect(newest?.name).toBe("mid");
  });

  it("orders by status.startTimestamp: synced backups carry the sync time as creationTimestamp", () => {
    const synced = (name: string, started: string, created: string) =>
      summarizeVeleroObject("Backup", { metadata: { name, namespace: "velero", creationTimestamp: created }, status: { phase: "Completed", startTimestamp: started } });
    expect(newestCompletedBackup([synced("six-hours", "2026-01-01T06:00:00Z", "2026-01-01T12:00:00Z"), synced("twelve-hours", "2026-01-01T00:00:00Z", "2026-01-01T12:01:00Z")])?.name).toBe("six-hours");
  });

  it("returns nothing when no backup completed", () => {
    expect(newestCompletedBackup([backup("f", "Failed", "2026-01-01T00:00:00Z")])).toBeUndefined();
  });
});

describe("summarizeVeleroObject", () => {
  it("keeps warning and error counts and a Date creation time as ISO text", () => {
    const s = summarizeVeleroObject("Restore", {
      metadata: { name: "r", namespace: "velero", creationTimestamp: new Date("2026-01-01T00:00:00Z") },
      spec: { backupName: "b" },
      status: { phase: "PartiallyFailed", warnings: 2, errors: 1 },
    });
    expect(s).toMatchObject({ phase: "PartiallyFailed", warnings: 2, errors: 1, backupName: "b", createdAt: "2026-01-01T00:00:00.000Z" });
  });
});

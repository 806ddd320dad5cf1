import { describe, expect, it } from "vitest";
import { eventLabel, timelineEntries } from "./timeline-entries";

const ev = (id: number, type: string, message = type) => ({ id, type, message, at: "2026-12-07T00:00:00Z" });

describe("timelineEntries", () => {
  it("names events in words instead of raw keys", () => {
    expect(eventLabel("apply.queued")).toBe("Apply queued");
    expect(eventLabel("dry-run.passed")).toBe("Dry-run passed");
    expect(eventLabel("gitops.refresh")).toBe("Gitops refresh");
  });

  it("folds a run's object results into one entry with a count, keeping every event for the disclosure", () => {
    const objects = Array.from({ length: 22 }, (_, i) => ev(10 + i, "object.apply", `created Deployment/x${i}`));
    const entries = timelineEntries([
      ev(1, "apply.started"),
      ev(2, "dry-run.passed"),
      ...objects,
      ev(40, "apply.succeeded"),
    ]);
    expect(entries.map((e) => e.label)).toEqual([
      "Apply started",
      "Dry-run passed",
      "22 objects applied",
      "Apply succeeded",
    ]);
    const group = entries[2];
    expect(group?.kind === "objects" ? group.events.length : 0).toBe(22);
  });

  it("labels the pre-condition check after the approval as the re-check at apply", () => {
    const entries = timelineEntries([
      ev(1, "submitted"),
      ev(2, "precheck.ran"),
      ev(3, "approved"),
      ev(4, "apply.started"),
      ev(5, "precheck.ran"),
    ]);
    expect(entries.map((e) => e.label)).toEqual([
      "Submitted",
      "Pre-condition check",
      "Approved",
      "Apply started",
      "Pre-condition re-check at apply",
    ]);
  });
});

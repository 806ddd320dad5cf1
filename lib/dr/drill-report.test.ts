import { describe, expect, it } from "vitest";
import { renderDrillReportHtml, renderDrillReportMarkdown, type ReportInput } from "./drill-report";
import { collectEvidence } from "./drill-verdict";
import type { StepRecord } from "./step-record";

const steps: StepRecord[] = [
  {
    index: 0,
    name: "Restore | prod",
    type: "create_restore",
    state: "failed",
    startedAt: new Date("2026-03-01T10:00:00Z"),
    finishedAt: new Date("2026-03-01T10:02:00Z"),
    error: "restore r1 ended PartiallyFailed",
    output: {
      restore: {
        name: "r1",
        namespace: "velero",
        backupName: "b1",
        backupCreatedAt: "2026-03-01T09:00:00Z",
        phase: "PartiallyFailed",
        errors: 1,
        warnings: 2,
      },
    },
  },
  {
    index: 1,
    name: "<script>alert(1)</script>",
    type: "manual",
    state: "skipped",
    startedAt: null,
    finishedAt: null,
    error: null,
    output: {},
  },
];
const input: ReportInput = {
  plan: {
    key: "model_corruption",
    name: "Model Artifact Recovery",
    version: 3,
    rtoMinutes: 15,
    rpoMinutes: 60,
    allowRestoreWarnings: false,
  },
  run: {
    id: "run1",
    mode: "live",
    status: "failed",
    trigger: "manual",
    startedBy: "sre@demo.local",
    clusterName: "sandbox",
    namespaces: ["ml-inference"],
    startedAt: new Date("2026-03-01T10:00:00Z"),
    finishedAt: new Date("2026-03-01T10:02:00Z"),
    overrideReason: null,
    verdictReason: "restore r1 ended PartiallyFailed",
    measuredRtoSeconds: null,
    measuredRpoSeconds: 3600,
  },
  steps,
  evidence: collectEvidence(steps),
  generatedAt: new Date("2026-03-02T00:00:00Z"),
};

describe("drill report", () => {
  it("states verdict, version, targets, measurements and the restore evidence in Markdown", () => {
    const md = renderDrillReportMarkdown(input);
    expect(md).toContain("- Verdict: **FAILED** — restore r1 ended PartiallyFailed");
    expect(md).toContain("`model_corruption` version 3; RTO target 15 min, RPO target 60 min");
    expect(md).toMatch(/\| RTO \| not measured \| 15 min \| not measured \|/);
    expect(md).toMatch(/\| RPO \| 1h 00m \| 60 min \| within target \|/);
    expect(md).toContain("- Restore `r1` from `b1`: phase PartiallyFailed, 1 errors, 2 warnings");
    expect(md).toContain("| 1 | Restore \\| prod |");
  });

  it("escapes step names in the print HTML and keeps the A4 page rule", () => {
    const html = renderDrillReportHtml(input);
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("@page { size: A4");
    expect(html).toContain("<li>Restore r1 from b1: phase PartiallyFailed, 1 errors, 2 warnings</li>");
  });
});

describe("the evidence a reviewer recomputes RTO/RPO from", () => {
  it("lists the failure instant, the backup's start time and its source, items restored and the canary sums", () => {
    const cycle: StepRecord[] = [
      {
        index: 0,
        name: "Recovery point",
        type: "verify_backup",
        state: "succeeded",
        startedAt: null,
        finishedAt: null,
        error: null,
        output: {
          backup: {
            name: "nightly",
            namespace: "velero",
            phase: "Completed",
            createdAt: "2026-03-01T09:59:00.000Z",
            startedAt: "2026-03-01T04:00:00.000Z",
            recoveryPointAt: "2026-03-01T04:00:00.000Z",
            recoveryPointSource: "status.startTimestamp",
            errors: 0,
            warnings: 0,
          },
        },
      },
      {
        index: 1,
        name: "Canary",
        type: "write_canary",
        state: "succeeded",
        startedAt: null,
        finishedAt: null,
        error: null,
        output: {
          canary: { namespace: "ml", name: "dr-canary", checksum: "c0ffee", writtenAt: "2026-03-01T10:00:01.000Z" },
        },
      },
      {
        index: 2,
        name: "Delete",
        type: "inject_failure",
        state: "succeeded",
        startedAt: null,
        finishedAt: null,
        error: null,
        output: {
          failure: {
            kind: "delete_namespace",
            namespace: "ml",
            cluster: "sandbox",
            injectedAt: "2026-03-01T10:01:00.000Z",
            confirmedAt: "2026-03-01T10:01:02.000Z",
            observed: "namespace ml no longer exists",
          },
        },
      },
      {
        index: 3,
        name: "Restore",
        type: "create_restore",
        state: "succeeded",
        startedAt: null,
        finishedAt: null,
        error: null,
        output: {
          restore: {
            name: "r9",
            namespace: "velero",
            backupName: "nightly",
            phase: "Completed",
            errors: 0,
            warnings: 0,
            itemsRestored: 14,
            totalItems: 14,
            existingResourcePolicy: "update",
            cluster: "sandbox",
          },
        },
      },
      {
        index: 4,
        name: "Canary back",
        type: "verify_canary",
        state: "succeeded",
        startedAt: null,
        finishedAt: null,
        error: null,
        output: {
          canaryCheck: {
            namespace: "ml",
            name: "dr-canary",
            expectedChecksum: "c0ffee",
            foundChecksum: "c0ffee",
            restoredBy: "r9",
            match: true,
          },
        },
      },
    ];
    const md = renderDrillReportMarkdown({ ...input, steps: cycle, evidence: collectEvidence(cycle) });
    expect(md).toContain(
      "- Failure injected (step 3 (Delete)): delete_namespace of ml on sandbox at 2026-03-01T10:01:00.000Z (the failure instant); confirmed at 2026-03-01T10:01:02.000Z: namespace ml no longer exists",
    );
    expect(md).toContain(
      "- Recovery point: backup `nightly` (velero), created 2026-03-01T09:59:00.000Z, data from 2026-03-01T04:00:00.000Z (status.startTimestamp), used by restore r9",
    );
    expect(md).toContain(
      "- Restore `r9` from `nightly`: phase Completed, 0 errors, 0 warnings, 14 of 14 items restored, existingResourcePolicy update on sandbox",
    );
    expect(md).toContain(
      "- Canary read back from `ml/dr-canary` (restored by r9): sha256 c0ffee, matches the c0ffee written",
    );
  });
});

describe("cleanup in the report", () => {
  it("shows what cleanup removed from the recovery cluster's restore, in the step line and the evidence", () => {
    const cleanup: StepRecord = {
      index: 0,
      name: "Clean up standby",
      type: "cleanup",
      state: "succeeded",
      startedAt: null,
      finishedAt: null,
      error: null,
      output: {
        cleanup: {
          cluster: "standby",
          removed: ["namespace dr-scratch"],
          restored: { restore: "r-standby", removed: ["Deployment ml/predictor", "Service ml/predictor"] },
        },
      },
    };
    const md = renderDrillReportMarkdown({ ...input, steps: [cleanup], evidence: collectEvidence([cleanup]) });
    const restored = "removed what restore r-standby created: Deployment ml/predictor, Service ml/predictor";
    expect(md).toContain(`removed from standby: namespace dr-scratch; ${restored}`);
    expect(md).toContain(`- Cleanup on standby: removed namespace dr-scratch; ${restored}`);
  });
});

import { describe, expect, it } from "vitest";
import { renderDrillReportHtml, renderDrillReportMarkdown, type ReportInput } from "./drill-report";
import { collectEvidence } from "./drill-verdict";
import type { StepRecord } from "./step-record";

const steps: StepRecord[] = [
  { index: 0, name: "Restore | prod", type: "create_restore", state: "failed", startedAt: new Date("2026-03-01T10:00:00Z"), finishedAt: new Date("2026-03-01T10:02:00Z"), error: "restore r1 ended PartiallyFailed", output: { restore: { name: "r1", namespace: "velero", backupName: "b1", backupCreatedAt: "2026-03-01T09:00:00Z", phase: "PartiallyFailed", errors: 1, warnings: 2 } } },
  { index: 1, name: "<script>alert(1)</script>", type: "manual", state: "skipped", startedAt: null, finishedAt: null, error: null, output: {} },
];
const input: ReportInput = {
  plan: { key: "model_corruption", name: "Model Artifact Recovery", version: 3, rtoMinutes: 15, rpoMinutes: 60, allowRestoreWarnings: false },
  run: { id: "run1", mode: "live", status: "failed", trigger: "manual", startedBy: "sre@demo.local", clusterName: "sandbox", namespaces: ["ml-inference"], startedAt: new Date("2026-03-01T10:00:00Z"), finishedAt: new Date("2026-03-01T10:02:00Z"), overrideReason: null, verdictReason: "restore r1 ended PartiallyFailed", measuredRtoSeconds: null, measuredRpoSeconds: 3600 },
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

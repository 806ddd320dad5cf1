// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { SecurityFinding, SecurityReport } from "@/lib/security/types";
import { ViabilitySummary } from "./viability-summary";

afterEach(cleanup);

const finding = (check: string, severity: SecurityFinding["severity"], message: string): SecurityFinding => ({
  check,
  severity,
  object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "ml-inference", name: "llm" },
  path: "spec.template.spec",
  message,
  why: `why ${check}`,
  fix: `fix ${check}`,
});

function report(findings: SecurityFinding[]): SecurityReport {
  // A score and counts as the checker gives them: the viability view must not show the score.
  const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return { score: 37, counts, findings };
}

describe("ViabilitySummary", () => {
  it("says how many findings block the submit and lists them, in the finding format, as what to fix", () => {
    render(
      <ViabilitySummary
        report={report([
          finding("viability.unknown-entrypoint", "info", "Image entrypoint unknown"),
          finding("viability.untolerated-taint", "high", "Pods do not tolerate the GPU taint"),
          finding("viability.exceeds-pool", "critical", "Needs 32 GPUs, the pool has 16"),
        ])}
      />,
    );
    expect(screen.getByTestId("viability-verdict").textContent).toMatch(/^2 blocking findings:/);
    const toFix = within(screen.getByRole("list", { name: "What to fix" })).getAllByRole("listitem");
    expect(toFix.map((li) => li.querySelector("strong")?.textContent)).toEqual([
      "Pods do not tolerate the GPU taint",
      "Needs 32 GPUs, the pool has 16",
    ]);
    expect(toFix[0]!.textContent).toContain("Deployment/ml-inference/llm");
    expect(toFix[0]!.textContent).toContain("Fix: fix viability.untolerated-taint");
    const worth = within(screen.getByRole("list", { name: "Worth checking" })).getAllByRole("listitem");
    expect(worth.map((li) => li.querySelector("strong")?.textContent)).toEqual(["Image entrypoint unknown"]);
  });

  it("shows no score, unlike the security report", () => {
    render(<ViabilitySummary report={report([finding("viability.exceeds-pool", "high", "Too many GPUs")])} />);
    const summary = screen.getByTestId("viability-summary");
    expect(summary.textContent).not.toMatch(/score|\/ ?100|\b37\b/i);
  });

  it("says nothing blocks a plan without blocking findings, and lists no fixes", () => {
    render(
      <ViabilitySummary report={report([finding("viability.unknown-entrypoint", "info", "Entrypoint unknown")])} />,
    );
    expect(screen.getByTestId("viability-verdict").textContent).toMatch(/^Nothing blocks this plan/);
    expect(screen.queryByRole("list", { name: "What to fix" })).toBeNull();
    expect(screen.getByTestId("viability-summary").getAttribute("data-blocking")).toBe("0");
  });
});

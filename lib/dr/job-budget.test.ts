import { describe, expect, it } from "vitest";
import { drillJobBudgetSeconds, minimumJobBudgetSeconds, perStepSlackSeconds, runSlackSeconds } from "./job-budget";

describe("drillJobBudgetSeconds", () => {
  it("never goes below the queue's floor for short plans", () => {
    expect(drillJobBudgetSeconds([{ timeoutSeconds: 10 }])).toBe(minimumJobBudgetSeconds);
  });

  it("covers every step, validation and rollback timing out, with slack per step and per run", () => {
    const steps = [
      { timeoutSeconds: 3600 },
      { timeoutSeconds: 1800, validation: { timeoutSeconds: 600 } },
      { timeoutSeconds: 1200, rollback: { timeoutSeconds: 300 } },
    ] as Parameters<typeof drillJobBudgetSeconds>[0];
    expect(drillJobBudgetSeconds(steps)).toBe(
      3600 + 1800 + 600 + 1200 + 300 + 3 * perStepSlackSeconds + runSlackSeconds,
    );
  });
});

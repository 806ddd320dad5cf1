import type { DrStep } from "./schema";

// How long pg-boss may keep a drill.run job active before expiring it. A job expired mid-drill is retried or
// swept, so the budget must cover every step (with its validation and rollback) waiting out its whole timeout, plus the polling
// and database round trips between them; never below the queue's 15-minute floor.

/** Seconds per step for claiming, writing its result and polling past its timeout. */
export const perStepSlackSeconds = 30;
/** Seconds on top for connecting to the clusters and writing the verdict. */
export const runSlackSeconds = 300;
export const minimumJobBudgetSeconds = 900;

export function drillJobBudgetSeconds(
  steps: ReadonlyArray<Pick<DrStep, "timeoutSeconds" | "validation" | "rollback">>,
): number {
  const stepSeconds = steps.reduce(
    (sum, s) =>
      sum +
      s.timeoutSeconds +
      (s.validation?.timeoutSeconds ?? 0) +
      (s.rollback?.timeoutSeconds ?? 0) +
      perStepSlackSeconds,
    0,
  );
  return Math.max(minimumJobBudgetSeconds, stepSeconds + runSlackSeconds);
}

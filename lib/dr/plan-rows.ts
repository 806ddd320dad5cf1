// DrPlan rows ⇄ the plan schema. Steps are stored as the parsed (defaults filled) typed steps.
import { drPlanInput, type DrPlan } from "./schema";

export interface DrPlanRow {
  key: string;
  version: number;
  name: string;
  description: string;
  clusterTargetId: string | null;
  namespaces: string[];
  rtoMinutes: number;
  rpoMinutes: number;
  steps: unknown;
  allowRestoreWarnings: boolean;
  schedule: string | null;
}

export function planFromRow(row: DrPlanRow): DrPlan {
  // A plan stored with a schedule before scheduled plans had to be free of manual steps still loads (the scheduler
  // refuses to run it and says why); the schedule was validated as cron when it was saved.
  const plan = drPlanInput.parse({
    key: row.key,
    name: row.name,
    description: row.description,
    scope: { clusterTargetId: row.clusterTargetId, namespaces: row.namespaces },
    rtoMinutes: row.rtoMinutes,
    rpoMinutes: row.rpoMinutes,
    allowRestoreWarnings: row.allowRestoreWarnings,
    schedule: null,
    steps: row.steps,
  });
  return { ...plan, schedule: row.schedule };
}

export function rowFromPlan(plan: DrPlan): Omit<DrPlanRow, "version"> {
  return {
    key: plan.key,
    name: plan.name,
    description: plan.description,
    clusterTargetId: plan.scope.clusterTargetId,
    namespaces: plan.scope.namespaces,
    rtoMinutes: plan.rtoMinutes,
    rpoMinutes: plan.rpoMinutes,
    steps: plan.steps,
    allowRestoreWarnings: plan.allowRestoreWarnings,
    schedule: plan.schedule,
  };
}

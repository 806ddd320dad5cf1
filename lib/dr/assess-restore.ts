// Whether a finished Velero Restore counts as a recovery. Velero reports "Completed" with warnings or errors and
// "PartiallyFailed" when some items failed: neither is a clean recovery unless the plan explicitly accepts it.
import type { RestoreEvidence } from "./step-record";

export const veleroTerminalPhases = ["Completed", "PartiallyFailed", "Failed", "FailedValidation", "WaitingForPluginOperationsPartiallyFailed"] as const;

export function isVeleroTerminal(phase: string | undefined | null): boolean {
  return !!phase && (veleroTerminalPhases as readonly string[]).includes(phase);
}

export type RestoreAssessment = { ok: true; note?: string } | { ok: false; reason: string };

export function assessRestore(restore: RestoreEvidence, allowRestoreWarnings: boolean): RestoreAssessment {
  const counts = `${restore.errors} error${restore.errors === 1 ? "" : "s"}, ${restore.warnings} warning${restore.warnings === 1 ? "" : "s"}`;
  if (restore.phase === "Failed" || restore.phase === "FailedValidation") {
    return { ok: false, reason: `restore ${restore.name} ended ${restore.phase}${restore.failureReason ? `: ${restore.failureReason}` : ""} (${counts})` };
  }
  if (restore.phase !== "Completed" && restore.phase !== "PartiallyFailed") {
    return { ok: false, reason: `restore ${restore.name} did not finish (phase ${restore.phase})` };
  }
  const unclean = restore.phase === "PartiallyFailed" || restore.errors > 0 || restore.warnings > 0;
  if (!unclean) return { ok: true };
  if (allowRestoreWarnings) return { ok: true, note: `restore ${restore.name} ended ${restore.phase} with ${counts}; accepted because the plan allows restore warnings` };
  return { ok: false, reason: `restore ${restore.name} ended ${restore.phase} with ${counts}; the plan does not allow restore warnings or errors` };
}

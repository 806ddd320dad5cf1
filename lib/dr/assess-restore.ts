// Whether a finished Velero Restore counts as a recovery. Velero reports "Completed" with warnings or errors and
// "PartiallyFailed" when some items failed: neither is a clean recovery unless the plan explicitly accepts it. A
// restore that restored no item proves nothing (Velero skips objects that exist unless existingResourcePolicy is
// "update"), so it fails whatever its phase.
import type { RestoreEvidence } from "./step-record";

/**
 * Velero's terminal phases (pkg/apis/velero/v1 backup_types.go / restore_types.go). WaitingForPluginOperations*,
 * Finalizing and FinalizingPartiallyFailed are not terminal: Velero still works on the Backup or Restore.
 */
export const veleroTerminalPhases = ["Completed", "PartiallyFailed", "Failed", "FailedValidation"] as const;

export function isVeleroTerminal(phase: string | undefined | null): boolean {
  return !!phase && (veleroTerminalPhases as readonly string[]).includes(phase);
}

export type RestoreAssessment = { ok: true; note?: string } | { ok: false; reason: string };

export function assessRestore(restore: RestoreEvidence, allowRestoreWarnings: boolean): RestoreAssessment {
  const counts = `${restore.errors} error${restore.errors === 1 ? "" : "s"}, ${restore.warnings} warning${restore.warnings === 1 ? "" : "s"}`;
  if (restore.phase === "Failed" || restore.phase === "FailedValidation") {
    return {
      ok: false,
      reason: `restore ${restore.name} ended ${restore.phase}${restore.failureReason ? `: ${restore.failureReason}` : ""} (${counts})`,
    };
  }
  if (restore.phase !== "Completed" && restore.phase !== "PartiallyFailed") {
    return { ok: false, reason: `restore ${restore.name} did not finish (phase ${restore.phase})` };
  }
  // No count is no proof: Velero writes status.progress once it restores items, so a finished restore without it
  // recovered nothing anyone can show.
  if (restore.itemsRestored == null) {
    return {
      ok: false,
      reason: `restore ${restore.name} ended ${restore.phase} without reporting status.progress.itemsRestored: nothing shows an item was recovered (${counts})`,
    };
  }
  if (restore.itemsRestored === 0) {
    return {
      ok: false,
      reason: `restore ${restore.name} ended ${restore.phase} but restored 0 items (status.progress.itemsRestored): nothing was recovered; existing objects are skipped unless existingResourcePolicy is update (${counts})`,
    };
  }
  // Velero counts skipped existing objects in itemsRestored, each with an "already exists" warning: when every
  // counted item drew one, nothing was restored whatever the count says.
  if (restore.existingResourcePolicy === "none" && restore.warnings >= restore.itemsRestored) {
    return {
      ok: false,
      reason: `restore ${restore.name} ended ${restore.phase} with ${restore.itemsRestored} items in status.progress.itemsRestored but as many "already exists" warnings: Velero counts skipped existing objects, so every item may have been skipped (existingResourcePolicy none; ${counts})`,
    };
  }
  if ((restore.itemOperationsFailed ?? 0) > 0) {
    return {
      ok: false,
      reason: `restore ${restore.name} ended ${restore.phase} with ${restore.itemOperationsFailed} failed restore item operations (${counts})`,
    };
  }
  const unclean = restore.phase === "PartiallyFailed" || restore.errors > 0 || restore.warnings > 0;
  if (!unclean) return { ok: true };
  if (allowRestoreWarnings)
    return {
      ok: true,
      note: `restore ${restore.name} ended ${restore.phase} with ${counts}; accepted because the plan allows restore warnings`,
    };
  return {
    ok: false,
    reason: `restore ${restore.name} ended ${restore.phase} with ${counts}; the plan does not allow restore warnings or errors`,
  };
}

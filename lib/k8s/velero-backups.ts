// Velero Backup/Restore objects as the DR drills read them: phase, counts, timestamps; the newest completed
// backup is the RPO evidence.
export const veleroApiVersion = "velero.io/v1";
// Velero's terminal phases: WaitingForPluginOperations*, Finalizing and FinalizingPartiallyFailed are still running.
export const finalVeleroPhases = new Set(["Completed", "PartiallyFailed", "Failed", "FailedValidation"]);

export interface VeleroObjectSummary {
  kind: "Backup" | "Restore";
  name: string;
  namespace: string;
  phase: string;
  labels: Record<string, string>;
  createdAt?: string;
  startedAt?: string;
  completedAt?: string;
  expiresAt?: string;
  warnings: number;
  errors: number;
  failureReason?: string;
  validationErrors?: string[];
  /** Backups: includedNamespaces; Restores: the backup they restore. */
  includedNamespaces?: string[];
  backupName?: string;
  itemsTotal?: number;
  itemsDone?: number;
}

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : v instanceof Date ? v.toISOString() : undefined);

export function summarizeVeleroObject(kind: "Backup" | "Restore", obj: { metadata?: Obj; spec?: Obj; status?: Obj }): VeleroObjectSummary {
  const meta = obj.metadata ?? {};
  const status = obj.status ?? {};
  const spec = obj.spec ?? {};
  const progress = (status.progress as Obj | undefined) ?? {};
  return {
    kind,
    name: String(meta.name),
    namespace: String(meta.namespace),
    phase: str(status.phase) ?? "New",
    labels: (meta.labels as Record<string, string> | undefined) ?? {},
    createdAt: str(meta.creationTimestamp),
    startedAt: str(status.startTimestamp),
    completedAt: str(status.completionTimestamp),
    expiresAt: str(status.expiration),
    warnings: typeof status.warnings === "number" ? status.warnings : 0,
    errors: typeof status.errors === "number" ? status.errors : 0,
    ...(str(status.failureReason) ? { failureReason: str(status.failureReason) } : {}),
    ...(Array.isArray(status.validationErrors) ? { validationErrors: status.validationErrors as string[] } : {}),
    ...(Array.isArray(spec.includedNamespaces) ? { includedNamespaces: spec.includedNamespaces as string[] } : {}),
    ...(str(spec.backupName) ? { backupName: str(spec.backupName) } : {}),
    ...(typeof progress.totalItems === "number" ? { itemsTotal: progress.totalItems } : {}),
    ...(typeof (progress.itemsBackedUp ?? progress.itemsRestored) === "number" ? { itemsDone: (progress.itemsBackedUp ?? progress.itemsRestored) as number } : {}),
  };
}

/**
 * The newest backup that Completed (PartiallyFailed is not evidence of a good restore point), ordered as Velero
 * orders them, by status.startTimestamp: a backup synced onto a rebuilt cluster has the sync time as creationTimestamp.
 */
export function newestCompletedBackup(backups: readonly VeleroObjectSummary[]): VeleroObjectSummary | undefined {
  const point = (b: VeleroObjectSummary) => Date.parse((b.startedAt ?? b.createdAt)!);
  return backups.filter((b) => b.phase === "Completed" && (b.startedAt ?? b.createdAt)).sort((a, b) => point(b) - point(a))[0];
}

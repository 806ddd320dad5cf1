import "server-only";
import { readClusterBackups } from "@/lib/clusters/cluster-live-view.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { newestCompletedBackup, recoveryPointOf, type RecoveryPointSource } from "./kube-readers";

export interface ClusterBackupStatus {
  clusterTargetId: string;
  clusterName: string;
  isSandbox: boolean;
  /**
   * startedAt: the recovery point, status.startTimestamp (Velero's own; creationTimestamp is the sync time on a
   * rebuilt cluster), aged from it. startedAtSource says when the backup had no start time and creationTimestamp
   * stood in.
   */
  backup: { name: string; startedAt: string; startedAtSource: RecoveryPointSource; ageSeconds: number } | null;
  /** Why the backup could not be read (cluster unreachable, Velero not installed). */
  error?: string;
}

/**
 * Per cluster target, the newest Completed Velero Backup and its age, from the same reader as the home page's
 * newest backups (lib/clusters readClusterBackups), so both pages list and explain the same backups.
 */
export async function listLastBackups({
  actor,
  traceId,
  ...options
}: {
  actor: PortalUser;
  traceId?: string;
  now?: number;
  veleroNamespace?: string;
  timeoutMs?: number;
}): Promise<ClusterBackupStatus[]> {
  await authorize(actor, "drill.read", {}, traceId);
  const now = options.now ?? Date.now();
  const targets = await getPrisma().clusterTarget.findMany({ orderBy: { name: "asc" } });
  const read = await readClusterBackups(targets, options);
  return targets.map((t, i): ClusterBackupStatus => {
    const base = { clusterTargetId: t.id, clusterName: t.name, isSandbox: t.isSandbox };
    const result = read[i];
    if (!result || result.error) return { ...base, backup: null, error: result?.error ?? "not read" };
    const newest = newestCompletedBackup(result.backups);
    const point = newest && recoveryPointOf(newest);
    return {
      ...base,
      backup: newest &&
        point && {
          name: newest.name,
          startedAt: point.at,
          startedAtSource: point.source,
          ageSeconds: Math.max(0, Math.round((now - Date.parse(point.at)) / 1000)),
        },
    };
  });
}

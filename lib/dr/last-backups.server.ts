import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { connectDrKubernetes, type DrKubernetes } from "./dr-kubernetes.server";
import { newestCompletedBackup, readVeleroStatus, recoveryPointOf } from "./kube-readers";

export interface ClusterBackupStatus {
  clusterTargetId: string;
  clusterName: string;
  isSandbox: boolean;
  /** createdAt: the recovery point (status.startTimestamp; creationTimestamp only when absent), aged from it. */
  backup: { name: string; createdAt: string; ageSeconds: number } | null;
  /** Why the backup could not be read (cluster unreachable, Velero not installed). */
  error?: string;
}

/** Per cluster target, the newest Completed Velero Backup and its age (read live from each cluster, in parallel). */
export async function lastSuccessfulBackupPerCluster(
  options: {
    now?: number;
    connect?: (t: { name: string; credentialRef: string; apiServer: string }) => Promise<DrKubernetes>;
    veleroNamespace?: string;
    timeoutMs?: number;
  } = {},
): Promise<ClusterBackupStatus[]> {
  const now = options.now ?? Date.now();
  const targets = await getPrisma().clusterTarget.findMany({ orderBy: { name: "asc" } });
  return Promise.all(
    targets.map(async (t): Promise<ClusterBackupStatus> => {
      const base = { clusterTargetId: t.id, clusterName: t.name, isSandbox: t.isSandbox };
      try {
        const kube = await (options.connect ?? connectDrKubernetes)(t);
        // The drills page renders this: an unreachable cluster must not hold the page for the client's full timeout.
        const timeoutMs = options.timeoutMs ?? 5000;
        let timer: NodeJS.Timeout | undefined;
        const listed = await Promise.race([
          kube.list("velero.io/v1", "Backup", options.veleroNamespace ?? "velero"),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
        const newest = newestCompletedBackup(listed.map(readVeleroStatus));
        const point = newest && recoveryPointOf(newest);
        return {
          ...base,
          backup: newest &&
            point && {
              name: newest.name,
              createdAt: point.at,
              ageSeconds: Math.max(0, Math.round((now - Date.parse(point.at)) / 1000)),
            },
        };
      } catch (error) {
        return { ...base, backup: null, error: (error as Error).message };
      }
    }),
  );
}

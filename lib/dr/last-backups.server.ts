import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { connectDrKubernetes, type DrKubernetes } from "./dr-kubernetes.server";
import { newestCompletedBackup, readVeleroStatus } from "./kube-readers";

export interface ClusterBackupStatus {
  clusterTargetId: string;
  clusterName: string;
  isSandbox: boolean;
  backup: { name: string; createdAt: string; ageSeconds: number } | null;
  /** Why the backup could not be read (cluster unreachable, Velero not installed). */
  error?: string;
}

/** Per cluster target, the newest Completed Velero Backup and its age (read live from each cluster, in parallel). */
export async function lastSuccessfulBackupPerCluster(options: { now?: number; connect?: (t: { name: string; credentialRef: string; apiServer: string }) => Promise<DrKubernetes>; veleroNamespace?: string } = {}): Promise<ClusterBackupStatus[]> {
  const now = options.now ?? Date.now();
  const targets = await getPrisma().clusterTarget.findMany({ orderBy: { name: "asc" } });
  return Promise.all(
    targets.map(async (t): Promise<ClusterBackupStatus> => {
      const base = { clusterTargetId: t.id, clusterName: t.name, isSandbox: t.isSandbox };
      try {
        const kube = await (options.connect ?? connectDrKubernetes)(t);
        const newest = newestCompletedBackup((await kube.list("velero.io/v1", "Backup", options.veleroNamespace ?? "velero")).map(readVeleroStatus));
        return { ...base, backup: newest && { name: newest.name, createdAt: newest.createdAt!, ageSeconds: Math.max(0, Math.round((now - Date.parse(newest.createdAt!)) / 1000)) } };
      } catch (error) {
        return { ...base, backup: null, error: (error as Error).message };
      }
    }),
  );
}

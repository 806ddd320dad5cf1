import { backupStatusResponse } from "@/lib/dr/schema";
import { route } from "@/lib/http/route.server";
import { lastSuccessfulBackupPerCluster } from "@/lib/dr/last-backups.server";

// GET /api/v1/drills/backups: per cluster, the newest Completed Velero backup and its age.
export const GET = route({ action: "drill.read", response: backupStatusResponse }, async () => ({
  clusters: await lastSuccessfulBackupPerCluster(),
}));

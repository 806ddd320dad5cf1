import { backupStatusResponse } from "@/lib/dr/schema";
import { route } from "@/lib/http/route.server";
import { listLastBackups } from "@/lib/dr/list-last-backups.server";

// GET /api/v1/drills/backups: per cluster, the newest Completed Velero backup and its age.
export const GET = route({ action: "drill.read", response: backupStatusResponse }, async ({ user, traceId }) => ({
  clusters: await listLastBackups({ actor: user, traceId }),
}));

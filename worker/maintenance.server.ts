import "server-only";
// Periodic work every worker does: end runs abandoned by dead workers, keep the cron schedules (hourly usage
// ingestion, scheduled drills, the git deliveries' refresh) registered with the queue, and trim the notification delivery log. pg-boss's scheduler makes each firing happen once even
// with many workers.
import type { PgBoss } from "pg-boss";
import { failAbandonedApplyRuns } from "@/lib/requests/apply-run-store.server";
import { failExpiredDrillRuns, listScheduledDrills } from "@/lib/dr/drill-run-job.server";
import { pruneDeliveryLog } from "@/lib/notifications/prune-delivery-log.server";
import { logger } from "@/lib/observability/logger";
import { drillScheduleKey } from "@/lib/jobs/job-definitions";

export async function sweepAbandonedRuns(now: Date): Promise<void> {
  const applies = await failAbandonedApplyRuns(now);
  const drills = await failExpiredDrillRuns();
  if (applies || drills.length) logger.warn({ applies, drills: drills.length }, "ended runs abandoned by dead workers");
}

export async function registerSchedules(boss: PgBoss): Promise<void> {
  await boss.schedule("usage.ingest", "5 * * * *", {}, { tz: "UTC" });
  await boss.schedule("gitops.refresh", "* * * * *", {}, { tz: "UTC" });
  const drills = await listScheduledDrills();
  const wanted = new Set(drills.map((d) => drillScheduleKey(d.planKey, d.clusterTargetId)));
  for (const d of drills)
    await boss.schedule(
      "drill.scheduled",
      d.cron,
      { planKey: d.planKey, clusterTargetId: d.clusterTargetId, cron: d.cron },
      { tz: "UTC", key: drillScheduleKey(d.planKey, d.clusterTargetId) },
    );
  for (const existing of await boss.getSchedules("drill.scheduled")) {
    if (existing.key && !wanted.has(existing.key)) await boss.unschedule("drill.scheduled", existing.key);
  }
}

/** Starts the periodic maintenance; returns a function that stops it. */
export function startMaintenance(boss: PgBoss, intervalMs = 60_000): () => void {
  const tick = async () => {
    try {
      await sweepAbandonedRuns(new Date());
      await registerSchedules(boss);
      await pruneDeliveryLog(new Date());
    } catch (error) {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, "maintenance failed");
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

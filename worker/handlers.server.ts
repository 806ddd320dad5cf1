import "server-only";
import type { JobName } from "@/lib/jobs/job-definitions";
import { handleRequestApply } from "@/lib/requests/apply-request-job.server";
import { handleDrillRun, handleScheduledDrill } from "@/lib/dr/drill-run-job.server";
import { handleUsageIngest } from "@/lib/costs/usage-ingest-job.server";
import { handleNotificationDeliver, handleNotificationFanout } from "@/lib/notifications/notification-jobs.server";

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
}

export type JobHandler = (payload: never, ctx: JobContext) => Promise<void>;

/** A job that records that it ran, for the worker tests and production smoke checks. */
async function handleSelfTest(payload: { marker: string; sleepMs: number }, ctx: JobContext): Promise<void> {
  const { getPrisma } = await import("@/lib/db/prisma.server");
  if (payload.sleepMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, payload.sleepMs);
      ctx.signal.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
  await getPrisma().auditEvent.create({
    data: { action: "system.self-test", targetType: "job", targetId: ctx.jobId, outcome: "success", details: { marker: payload.marker } },
  });
}

/** Job name → handler. Domains add their handler here (one line each). */
export const jobHandlers: Partial<Record<JobName, JobHandler>> = {
  "system.self-test": handleSelfTest as JobHandler,
  "request.apply": handleRequestApply as JobHandler,
  "drill.run": ((payload: { drillRunId: string }, ctx: JobContext) => handleDrillRun(payload, ctx)) as JobHandler,
  "drill.scheduled": ((payload: { planKey: string; clusterTargetId: string }, ctx: JobContext) => handleScheduledDrill(payload, ctx)) as JobHandler,
  "usage.ingest": handleUsageIngest as JobHandler,
  "notification.fanout": handleNotificationFanout as JobHandler,
  "notification.deliver": handleNotificationDeliver as JobHandler,
};

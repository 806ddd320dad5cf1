import "server-only";
import type { JobData, JobName } from "@/lib/jobs/job-definitions";
import { handleRequestApply } from "@/lib/requests/apply-request-job.server";
import { handleDrillRun, handleScheduledDrill } from "@/lib/dr/drill-run-job.server";
import { handleUsageIngest } from "@/lib/costs/sources/usage-ingest-job.server";
import { refreshGitDeliveries } from "@/lib/requests/refresh-git-deliveries.server";
import { handleNotificationDeliver, handleNotificationFanout } from "@/lib/notifications/notification-jobs.server";

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
}

export type JobHandler<N extends JobName> = (payload: JobData<N>, ctx: JobContext) => Promise<void>;

/** A job that records that it ran, for the worker tests and production smoke checks. */
async function handleSelfTest(payload: JobData<"system.self-test">, ctx: JobContext): Promise<void> {
  const { getPrisma } = await import("@/lib/db/prisma.server");
  const { recordAudit } = await import("@/lib/audit/record-audit.server");
  if (payload.sleepMs > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, payload.sleepMs);
      ctx.signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
  await recordAudit(getPrisma(), {
    actor: null,
    action: "system.self-test",
    targetType: "job",
    targetId: ctx.jobId,
    outcome: "success",
    details: { marker: payload.marker },
  });
}

/** Job name → handler: every job has one, taking its own payload type. Domains add their handler here. */
export const jobHandlers: { [N in JobName]: JobHandler<N> } = {
  "system.self-test": handleSelfTest,
  "request.apply": (payload, ctx) => handleRequestApply(payload, ctx),
  "drill.run": (payload, ctx) => handleDrillRun(payload, ctx),
  "drill.scheduled": (payload, ctx) => handleScheduledDrill(payload, ctx),
  "usage.ingest": (payload, ctx) => handleUsageIngest(payload, ctx),
  "gitops.refresh": async () => {
    await refreshGitDeliveries({ now: new Date() });
  },
  "notification.fanout": (payload) => handleNotificationFanout(payload),
  "notification.deliver": (payload) => handleNotificationDeliver(payload),
};

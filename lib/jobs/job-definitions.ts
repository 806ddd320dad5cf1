// Every background job: its name, payload schema and queue policy. Handlers live with their domain
// (lib/<domain>/*-job.server.ts) and are wired to these names in worker/handlers.server.ts.
import { z } from "zod";
import { notificationSchema } from "@/lib/notifications/events";

const requestApplyPayload = z.object({ applyRunId: z.string().min(1) });
const drillRunPayload = z.object({ drillRunId: z.string().min(1) });
const usageIngestPayload = z.object({ source: z.string().min(1).optional() });
/**
 * The pg-boss schedule key of a plan on a cluster. pg-boss accepts only letters, digits, `_`, `-`, `.` and `/` in a
 * key and refuses the whole call otherwise, which would stop every schedule from registering.
 */
export function drillScheduleKey(planKey: string, clusterTargetId: string): string {
  return `${planKey}/${clusterTargetId}`.replace(/[^\w.\-/]/g, "_");
}

// cron is the schedule that fired, so a firing left over from an older plan version can be told apart.
const scheduledDrillPayload = z.object({
  planKey: z.string().min(1),
  clusterTargetId: z.string().min(1),
  cron: z.string().min(1).optional(),
});
const notificationDeliverPayload = z.object({ deliveryId: z.string().min(1) });
const selfTestPayload = z.object({ marker: z.string(), sleepMs: z.number().int().min(0).max(60_000).default(0) });

interface Definition<S extends z.ZodType> {
  payload: S;
  queue: {
    retryLimit: number;
    retryDelay: number;
    retryBackoff: boolean;
    expireInSeconds: number;
    heartbeatSeconds?: number;
  };
}

function define<S extends z.ZodType>(d: Definition<S>): Definition<S> {
  return d;
}

export const jobDefinitions = {
  /**
   * Server-side apply (or revert) of an approved request. A dead worker is found by its missed heartbeats (30 s);
   * the 30 min cap covers waiting for the cluster's lock behind other applies and reverts plus the run itself.
   */
  "request.apply": define({
    payload: requestApplyPayload,
    queue: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 1800, heartbeatSeconds: 30 },
  }),
  /** A DR drill run, step by step. */
  "drill.run": define({
    payload: drillRunPayload,
    queue: { retryLimit: 2, retryDelay: 5, retryBackoff: true, expireInSeconds: 900, heartbeatSeconds: 30 },
  }),
  /** A scheduled (cron) drill: creates a DrillRun and enqueues drill.run. */
  "drill.scheduled": define({
    payload: scheduledDrillPayload,
    queue: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 120 },
  }),
  /** Usage/cost ingestion from the configured sources into hourly rollups, then recommendations. */
  "usage.ingest": define({
    payload: usageIngestPayload,
    queue: { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 1800 },
  }),
  /**
   * Reads what became of pushed git deliveries (pull request merged or closed, Argo CD / Flux sync) and stores it;
   * scheduled every minute. A missed firing is made up by the next, so it is never retried.
   */
  "gitops.refresh": define({
    payload: z.object({}),
    queue: { retryLimit: 0, retryDelay: 60, retryBackoff: false, expireInSeconds: 300 },
  }),
  /** A raised notification: finds the matching subscriptions and creates one delivery (and deliver job) each. */
  "notification.fanout": define({
    payload: notificationSchema,
    queue: { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 120 },
  }),
  /**
   * One attempt to deliver a notification. Failed attempts are retried by a new job with its own start time
   * (lib/notifications/delivery-policy.ts), so the delivery log shows each; pg-boss's retries cover a worker that died.
   */
  "notification.deliver": define({
    payload: notificationDeliverPayload,
    queue: { retryLimit: 2, retryDelay: 10, retryBackoff: true, expireInSeconds: 120 },
  }),
  /** A no-op job used by the worker tests and the production smoke check. */
  "system.self-test": define({
    payload: selfTestPayload,
    queue: { retryLimit: 2, retryDelay: 1, retryBackoff: false, expireInSeconds: 30 },
  }),
};

export type JobName = keyof typeof jobDefinitions;
export type JobPayload<N extends JobName> = z.input<(typeof jobDefinitions)[N]["payload"]>;
/** A payload as its handler receives it: parsed, defaults filled in. */
export type JobData<N extends JobName> = z.output<(typeof jobDefinitions)[N]["payload"]>;

/** Parses a job's data with its name's schema. */
export function parseJobData<N extends JobName>(name: N, data: unknown): JobData<N> {
  // TypeScript cannot tie the indexed schema's output to N (a correlated union); the schema is N's own.
  return jobDefinitions[name].payload.parse(data) as JobData<N>;
}

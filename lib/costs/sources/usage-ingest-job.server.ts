import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { logger } from "@/lib/observability/logger";
import { raiseCostAlerts } from "@/lib/costs/reports/cost-alerts.server";
import { ingestUsage } from "./ingest-usage.server";

/** Job "usage.ingest": pulls the configured sources into rollups, then refreshes recommendations. */
export async function handleUsageIngest(
  payload: { source?: string },
  ctx: { jobId: string; signal: AbortSignal },
): Promise<void> {
  const now = Date.now();
  try {
    const results = await ingestUsage(getPrisma(), { now, only: payload.source, signal: ctx.signal });
    logger.info({ jobId: ctx.jobId, results }, "usage.ingest finished");
  } finally {
    // A failed ingestion is when stale data matters most; an alert that fails never fails the ingestion.
    await raiseCostAlerts(getPrisma(), now).then(
      (raised) => logger.info({ jobId: ctx.jobId, ...raised }, "cost alerts checked"),
      (error: Error) => logger.error({ jobId: ctx.jobId, err: error.message }, "cost alerts not checked"),
    );
  }
}

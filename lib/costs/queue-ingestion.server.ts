import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { enqueueJob } from "@/lib/jobs/queue.server";
import type { CostSource } from "./schema";

/** Queues an ingestion of one cost source (or all configured ones) now; the schedule runs it anyway. */
export async function queueIngestion({
  actor,
  source,
  traceId,
}: {
  actor: PortalUser;
  source?: CostSource;
  traceId?: string;
}) {
  await authorize(actor, "costs.manage", {}, traceId);
  const jobId = await enqueueJob("usage.ingest", { source }, { singletonKey: `usage.ingest:${source ?? "all"}` });
  return { jobId };
}

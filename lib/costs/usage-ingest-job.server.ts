import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { ingestUsage } from "./ingest-usage.server";

/** Job "usage.ingest": pulls the configured sources into rollups, then refreshes recommendations. */
export async function handleUsageIngest(payload: { source?: string }, ctx: { jobId: string; signal: AbortSignal }): Promise<void> {
  const results = await ingestUsage(getPrisma(), { now: Date.now(), only: payload.source, signal: ctx.signal });
  console.log(JSON.stringify({ level: "info", msg: "usage.ingest finished", jobId: ctx.jobId, results }));
}

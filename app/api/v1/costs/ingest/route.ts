// POST /api/v1/costs/ingest {source?}: queue an ingestion now (the schedule runs it anyway).
import { z } from "zod";
import { route } from "@/lib/http/route.server";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { costSources, ingestQueuedResponse } from "@/lib/costs/schema";

export const POST = route(
  {
    action: "costs.manage",
    response: ingestQueuedResponse,
    body: z.object({ source: z.enum(costSources).optional() }).default({}),
    successStatus: 202,
  },
  async ({ body }) => {
    const jobId = await enqueueJob(
      "usage.ingest",
      { source: body.source },
      { singletonKey: `usage.ingest:${body.source ?? "all"}` },
    );
    return { jobId };
  },
);

// POST /api/v1/costs/ingest {source?}: queue an ingestion now (the schedule runs it anyway).
import { route } from "@/lib/http/route.server";
import { queueIngestion } from "@/lib/costs/queue-ingestion.server";
import { ingestQueuedResponse, queueIngestionSchema } from "@/lib/costs/schema";

export const POST = route(
  { action: "costs.manage", response: ingestQueuedResponse, body: queueIngestionSchema, successStatus: 202 },
  async ({ user, body, traceId }) => queueIngestion({ actor: user, source: body.source, traceId }),
);

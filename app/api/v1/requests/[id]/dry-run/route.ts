import { route } from "@/lib/http/route.server";
import { dryRunResponse, requestIdParams } from "@/lib/requests/schema";
import { dryRunRequest } from "@/lib/requests/dry-run-request.server";

// POST /api/v1/requests/{id}/dry-run: server-side dry-run against the target cluster, with the diff against live.
export const POST = route(
  { action: "request.read", response: dryRunResponse, params: requestIdParams },
  ({ user, params, traceId }) => dryRunRequest({ actor: user, requestId: params.id, traceId }),
);

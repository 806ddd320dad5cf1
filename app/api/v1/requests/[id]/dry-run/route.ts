import { route } from "@/lib/http/route.server";
import { dryRunResponse, requestIdParams } from "@/lib/requests/schema";
import { precheckRequest } from "@/lib/requests/precheck-request.server";

// POST /api/v1/requests/{id}/dry-run: server-side dry-run against the target cluster, with the diff against live;
// its pre-conditions are kept on the request for the approver.
export const POST = route(
  { action: "request.read", response: dryRunResponse, params: requestIdParams },
  ({ user, params, traceId }) => precheckRequest({ actor: user, requestId: params.id, traceId }),
);

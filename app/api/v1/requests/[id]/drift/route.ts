import { route } from "@/lib/http/route.server";
import { driftResponse, requestIdParams } from "@/lib/requests/schema";
import { checkRequestDrift } from "@/lib/requests/check-request-drift.server";

// POST /api/v1/requests/{id}/drift: compare the live objects with the applied plan.
export const POST = route(
  { action: "request.read", response: driftResponse, params: requestIdParams },
  ({ user, params, traceId }) => checkRequestDrift({ actor: user, requestId: params.id, traceId }),
);

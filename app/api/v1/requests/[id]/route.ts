import { route } from "@/lib/http/route.server";
import { notFound } from "@/lib/errors/domain-error";
import { requestDetailResponse, requestIdParams } from "@/lib/requests/schema";
import { getRequestDetail } from "@/lib/requests/get-request.server";

// GET /api/v1/requests/{id}: the request with its plan, decision, apply runs and per-object results.
export const GET = route(
  { action: "request.read", response: requestDetailResponse, params: requestIdParams },
  async ({ user, params, traceId }) => {
    const detail = await getRequestDetail({ actor: user, id: params.id, traceId });
    if (!detail) throw notFound("The request");
    return detail;
  },
);

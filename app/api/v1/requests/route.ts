import { route } from "@/lib/http/route.server";
import {
  listRequestsQuery,
  requestListResponse,
  submitRequestSchema,
  submittedRequestResponse,
} from "@/lib/requests/schema";
import { listRequests } from "@/lib/requests/list-requests.server";
import { submitRequest } from "@/lib/requests/submit-request.server";

// GET /api/v1/requests: the requests the caller may see, filtered, sorted and paginated.
export const GET = route(
  { action: "request.read", response: requestListResponse, query: listRequestsQuery },
  ({ user, query }) => listRequests({ actor: user, query }),
);

// POST /api/v1/requests: submit a request; it is stored with its exact plan, pending approval.
export const POST = route(
  { action: "request.create", response: submittedRequestResponse, body: submitRequestSchema, successStatus: 201 },
  async ({ user, body, traceId }) => submitRequest({ actor: user, input: body, traceId }),
);

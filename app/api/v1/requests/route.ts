import { route } from "@/lib/http/route.server";
import { listRequestsQuery, submitRequestSchema } from "@/lib/requests/schema";
import { listRequests } from "@/lib/requests/list-requests.server";
import { submitRequest } from "@/lib/requests/submit-request.server";

// GET /api/v1/requests: the requests the caller may see, filtered, sorted and paginated.
export const GET = route({ action: "request.read", query: listRequestsQuery }, ({ user, query }) =>
  listRequests(user, query),
);

// POST /api/v1/requests: submit a request; it is stored with its exact plan, pending approval.
export const POST = route(
  { action: "request.create", body: submitRequestSchema, successStatus: 201 },
  async ({ user, body, requestId }) => Response.json(await submitRequest(user, body, requestId), { status: 201 }),
);

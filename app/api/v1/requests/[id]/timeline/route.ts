import { route } from "@/lib/http/route.server";
import { requestIdParams, timelineQuery, timelineResponse } from "@/lib/requests/schema";
import { requestTimeline } from "@/lib/requests/request-timeline.server";

// GET /api/v1/requests/{id}/timeline?after=<event id>: new timeline entries, for the live view.
export const GET = route(
  { action: "request.read", response: timelineResponse, params: requestIdParams, query: timelineQuery },
  ({ user, params, query, traceId }) =>
    requestTimeline({ actor: user, requestId: params.id, afterId: query.after, traceId }),
);

// GET /api/v1/scaling/request-rate-history?namespace=ml-inference&service=model-server&hours=1: a deployment's
// request rate per minute from the configured Prometheus, which the simulator replays as traffic.
import { requestRateHistoryResponse } from "@/lib/scaling/schema";
import { route } from "@/lib/http/route.server";
import { loadRequestRateHistory, requestRateHistoryQuerySchema } from "@/lib/scaling/request-rate-history.server";

export const GET = route(
  { action: "scaling.simulate", response: requestRateHistoryResponse, query: requestRateHistoryQuerySchema },
  async ({ query, request }) => loadRequestRateHistory(query, Date.now(), request.signal),
);

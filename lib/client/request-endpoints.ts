// The /api/v1/requests endpoints, typed by the routes' own schemas (as every endpoint in endpoints.ts, whose
// `api.requests` this is). Apart so that the request form and the request page load the requests schemas only, not
// every domain's: the response schemas are values, so importing `api` bundles them all.
import type { z } from "zod";
import {
  applyRunStartedResponse,
  decisionResponse,
  driftResponse,
  dryRunResponse,
  gitDeliveryView,
  requestDetailResponse,
  requestListResponse,
  submittedRequestResponse,
  timelineResponse,
  type decisionSchema,
  type forceApplySchema,
  type ListRequestsQuery,
  type revertSchema,
  type submitRequestSchema,
} from "@/lib/requests/schema";
import { endpoint } from "./api-client";

type Id = { id: string };

export const requestEndpoints = {
  list: endpoint<Record<never, never>, Partial<ListRequestsQuery>>()("GET", "/api/v1/requests", requestListResponse),
  submit: endpoint<Record<never, never>, undefined, z.input<typeof submitRequestSchema>>()(
    "POST",
    "/api/v1/requests",
    submittedRequestResponse,
  ),
  get: endpoint<Id>()("GET", "/api/v1/requests/{id}", requestDetailResponse),
  timeline: endpoint<Id, { after: number }>()("GET", "/api/v1/requests/{id}/timeline", timelineResponse),
  approve: endpoint<Id, undefined, z.input<typeof decisionSchema>>()(
    "POST",
    "/api/v1/requests/{id}/approve",
    decisionResponse,
  ),
  reject: endpoint<Id, undefined, z.input<typeof decisionSchema>>()(
    "POST",
    "/api/v1/requests/{id}/reject",
    decisionResponse,
  ),
  dryRun: endpoint<Id>()("POST", "/api/v1/requests/{id}/dry-run", dryRunResponse),
  drift: endpoint<Id>()("POST", "/api/v1/requests/{id}/drift", driftResponse),
  forceApply: endpoint<Id, undefined, z.input<typeof forceApplySchema>>()(
    "POST",
    "/api/v1/requests/{id}/force-apply",
    applyRunStartedResponse,
  ),
  revert: endpoint<Id, undefined, z.input<typeof revertSchema>>()(
    "POST",
    "/api/v1/requests/{id}/revert",
    applyRunStartedResponse,
  ),
  retryDelivery: endpoint<Id>()("POST", "/api/v1/requests/{id}/retry-delivery", applyRunStartedResponse),
  refreshDelivery: endpoint<Id>()("POST", "/api/v1/requests/{id}/refresh-delivery", gitDeliveryView),
} as const;

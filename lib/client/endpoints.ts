// Every /api/v1 endpoint the browser calls, typed by the route's own schemas: the body as the route's request
// schema accepts it (z.input) and the answer as its response schema describes it. The request endpoints live in
// request-endpoints.ts: the request form and page import them alone, without every other domain's schemas.
import type { z } from "zod";
import {
  tokenCreatedResponse,
  tokenListResponse,
  tokenRevokedResponse,
  ssoGroupMappingResponse,
} from "@/lib/auth/schema";
import type { createTokenSchema } from "@/lib/auth/api-token";
import type { ssoGroupMappingSchema } from "@/lib/auth/sso-groups";
import {
  costSettingsResponse,
  costSummaryResponse,
  ingestQueuedResponse,
  recommendationListResponse,
  recommendationSchema,
  teamBudgetListResponse,
  teamBudgetResponse,
  type costQuerySchema,
  type costSettingsSchema,
  type costSources,
  type RecommendationAction,
} from "@/lib/costs/schema";
import {
  backupStatusResponse,
  drillAbortResponse,
  drillRunResponse,
  drillStartedResponse,
  planHistoryResponse,
  planListResponse,
  planResponse,
  planVersionResponse,
  stepConfirmedResponse,
  type copyPlanInput,
  type editPlanInput,
  type StartDrillInput,
} from "@/lib/dr/schema";
import { clusterDeliveryResponse, type deliverySettingsSchema } from "@/lib/gitops/schema";
import { urlAllowListResponse, type UrlAllowList } from "@/lib/net/schema";
import {
  deliveryListResponse,
  subscriptionCreatedResponse,
  subscriptionDeletedResponse,
  subscriptionListResponse,
  testNotificationResponse,
  type CreateSubscriptionInput,
} from "@/lib/notifications/schema";
import {
  memberAddedResponse,
  memberRemovedResponse,
  personListResponse,
  personUpdatedResponse,
  teamListResponse,
  teamRowSchema,
  type createTeamSchema,
  type updatePersonSchema,
  type updateTeamSchema,
} from "@/lib/people/schema";
import {
  clusterCheckResponse,
  clusterListResponse,
  registeredClusterResponse,
  type clusterTargetSchema,
} from "@/lib/clusters/schema";
import { requestRateHistoryResponse } from "@/lib/scaling/schema";
import { endpoint } from "./api-client";
import { requestEndpoints } from "./request-endpoints";

type Id = { id: string };
type Key = { key: string };

export const api = {
  requests: requestEndpoints,
  clusters: {
    list: endpoint()("GET", "/api/v1/clusters", clusterListResponse),
    register: endpoint<Record<never, never>, undefined, z.input<typeof clusterTargetSchema>>()(
      "POST",
      "/api/v1/clusters",
      registeredClusterResponse,
    ),
    check: endpoint<Id>()("POST", "/api/v1/clusters/{id}/check", clusterCheckResponse),
    delivery: endpoint<Id, undefined, z.input<typeof deliverySettingsSchema>>()(
      "PUT",
      "/api/v1/clusters/{id}/delivery",
      clusterDeliveryResponse,
    ),
  },
  costs: {
    summary: endpoint<Record<never, never>, Partial<z.input<typeof costQuerySchema>>>()(
      "GET",
      "/api/v1/costs/summary",
      costSummaryResponse,
    ),
    budgets: endpoint()("GET", "/api/v1/costs/budgets", teamBudgetListResponse),
    setBudget: endpoint<Record<never, never>, undefined, { team: string; monthlyBudgetUsd: number | null }>()(
      "PUT",
      "/api/v1/costs/budgets",
      teamBudgetResponse,
    ),
    settings: endpoint()("GET", "/api/v1/costs/settings", costSettingsResponse),
    saveSettings: endpoint<Record<never, never>, undefined, z.input<typeof costSettingsSchema>>()(
      "PUT",
      "/api/v1/costs/settings",
      // PUT answers the settings as stored.
      costSettingsResponse.shape.settings,
    ),
    ingest: endpoint<Record<never, never>, undefined, { source?: (typeof costSources)[number] }>()(
      "POST",
      "/api/v1/costs/ingest",
      ingestQueuedResponse,
    ),
    recommendations: endpoint<Record<never, never>, { state?: string }>()(
      "GET",
      "/api/v1/costs/recommendations",
      recommendationListResponse,
    ),
    changeRecommendation: endpoint<Id, undefined, RecommendationAction>()(
      "POST",
      "/api/v1/costs/recommendations/{id}",
      recommendationSchema,
    ),
  },
  drPlans: {
    list: endpoint()("GET", "/api/v1/dr-plans", planListResponse),
    get: endpoint<Key, { version?: number }>()("GET", "/api/v1/dr-plans/{key}", planResponse),
    edit: endpoint<Key, undefined, z.input<typeof editPlanInput>>()(
      "PATCH",
      "/api/v1/dr-plans/{key}",
      planVersionResponse,
    ),
    copy: endpoint<Key, undefined, z.input<typeof copyPlanInput>>()(
      "POST",
      "/api/v1/dr-plans/{key}/copy",
      planVersionResponse,
    ),
    history: endpoint<Key, { mode?: string }>()("GET", "/api/v1/dr-plans/{key}/history", planHistoryResponse),
  },
  drills: {
    start: endpoint<Record<never, never>, undefined, StartDrillInput>()("POST", "/api/v1/drills", drillStartedResponse),
    get: endpoint<Id>()("GET", "/api/v1/drills/{id}", drillRunResponse),
    abort: endpoint<Id, undefined, { reason?: string }>()("POST", "/api/v1/drills/{id}/abort", drillAbortResponse),
    confirmStep: endpoint<{ id: string; index: number }, undefined, { note?: string }>()(
      "POST",
      "/api/v1/drills/{id}/steps/{index}/confirm",
      stepConfirmedResponse,
    ),
    backups: endpoint()("GET", "/api/v1/drills/backups", backupStatusResponse),
  },
  notifications: {
    subscriptions: endpoint()("GET", "/api/v1/notifications/subscriptions", subscriptionListResponse),
    subscribe: endpoint<Record<never, never>, undefined, CreateSubscriptionInput>()(
      "POST",
      "/api/v1/notifications/subscriptions",
      subscriptionCreatedResponse,
    ),
    unsubscribe: endpoint<Id>()("DELETE", "/api/v1/notifications/subscriptions/{id}", subscriptionDeletedResponse),
    sendTest: endpoint<Id, undefined, Record<string, never>>()(
      "POST",
      "/api/v1/notifications/subscriptions/{id}/test",
      testNotificationResponse,
    ),
    deliveries: endpoint<Record<never, never>, { status?: string; page?: number }>()(
      "GET",
      "/api/v1/notifications/deliveries",
      deliveryListResponse,
    ),
  },
  people: {
    list: endpoint()("GET", "/api/v1/people", personListResponse),
    update: endpoint<Id, undefined, z.input<typeof updatePersonSchema>>()(
      "PATCH",
      "/api/v1/people/{id}",
      personUpdatedResponse,
    ),
  },
  teams: {
    list: endpoint()("GET", "/api/v1/teams", teamListResponse),
    create: endpoint<Record<never, never>, undefined, z.input<typeof createTeamSchema>>()(
      "POST",
      "/api/v1/teams",
      teamRowSchema,
    ),
    update: endpoint<Id, undefined, z.input<typeof updateTeamSchema>>()("PATCH", "/api/v1/teams/{id}", teamRowSchema),
    addMember: endpoint<{ id: string; userId: string }>()(
      "PUT",
      "/api/v1/teams/{id}/members/{userId}",
      memberAddedResponse,
    ),
    removeMember: endpoint<{ id: string; userId: string }>()(
      "DELETE",
      "/api/v1/teams/{id}/members/{userId}",
      memberRemovedResponse,
    ),
  },
  scaling: {
    requestRateHistory: endpoint<Record<never, never>, { namespace: string; service: string; hours?: number }>()(
      "GET",
      "/api/v1/scaling/request-rate-history",
      requestRateHistoryResponse,
    ),
  },
  settings: {
    urlAllowList: endpoint()("GET", "/api/v1/settings/url-allow-list", urlAllowListResponse),
    saveUrlAllowList: endpoint<Record<never, never>, undefined, UrlAllowList>()(
      "PUT",
      "/api/v1/settings/url-allow-list",
      urlAllowListResponse,
    ),
    ssoGroups: endpoint()("GET", "/api/v1/settings/sso-groups", ssoGroupMappingResponse),
    saveSsoGroups: endpoint<Record<never, never>, undefined, z.input<typeof ssoGroupMappingSchema>>()(
      "PUT",
      "/api/v1/settings/sso-groups",
      ssoGroupMappingResponse,
    ),
  },
  tokens: {
    list: endpoint()("GET", "/api/v1/tokens", tokenListResponse),
    create: endpoint<Record<never, never>, undefined, z.input<typeof createTokenSchema>>()(
      "POST",
      "/api/v1/tokens",
      tokenCreatedResponse,
    ),
    revoke: endpoint<Id>()("DELETE", "/api/v1/tokens/{id}", tokenRevokedResponse),
  },
} as const;

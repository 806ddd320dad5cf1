// Every /api/v1 route module, for the OpenAPI document. lib/http/openapi.int.test.ts compares this list with the
// route files on disk, so a route missing here fails the tests instead of missing from the document.
import { z } from "zod";
import type { RouteOptions } from "@/lib/http/route.server";
import { documentedMethods, type DocumentedRoute } from "@/lib/http/openapi";
import * as audit from "../audit/route";
import * as clustersIdCheck from "../clusters/[id]/check/route";
import * as clustersIdDelivery from "../clusters/[id]/delivery/route";
import * as clusters from "../clusters/route";
import * as costsBudgets from "../costs/budgets/route";
import * as costsExport from "../costs/export/route";
import * as costsHeatmap from "../costs/heatmap/route";
import * as costsIngest from "../costs/ingest/route";
import * as costsRecommendationsId from "../costs/recommendations/[id]/route";
import * as costsRecommendations from "../costs/recommendations/route";
import * as costsReport from "../costs/report/route";
import * as costsSettings from "../costs/settings/route";
import * as costsSummary from "../costs/summary/route";
import * as costsTimeseries from "../costs/timeseries/route";
import * as drPlansKeyCopy from "../dr-plans/[key]/copy/route";
import * as drPlansKeyHistory from "../dr-plans/[key]/history/route";
import * as drPlansKey from "../dr-plans/[key]/route";
import * as drPlans from "../dr-plans/route";
import * as drillsIdAbort from "../drills/[id]/abort/route";
import * as drillsIdReport from "../drills/[id]/report/route";
import * as drillsId from "../drills/[id]/route";
import * as drillsIdStepsIndexConfirm from "../drills/[id]/steps/[index]/confirm/route";
import * as drillsBackups from "../drills/backups/route";
import * as drills from "../drills/route";
import * as plans from "../plans/route";
import * as requestsIdApprove from "../requests/[id]/approve/route";
import * as requestsIdDrift from "../requests/[id]/drift/route";
import * as requestsIdDryRun from "../requests/[id]/dry-run/route";
import * as requestsIdForceApply from "../requests/[id]/force-apply/route";
import * as requestsIdRefreshDelivery from "../requests/[id]/refresh-delivery/route";
import * as requestsIdRetryDelivery from "../requests/[id]/retry-delivery/route";
import * as requestsIdReject from "../requests/[id]/reject/route";
import * as requestsIdRevert from "../requests/[id]/revert/route";
import * as requestsId from "../requests/[id]/route";
import * as requestsIdTimeline from "../requests/[id]/timeline/route";
import * as requests from "../requests/route";
import * as scalingRequestRateHistory from "../scaling/request-rate-history/route";
import * as settingsUrlAllowList from "../settings/url-allow-list/route";
import * as tokensId from "../tokens/[id]/route";
import * as tokens from "../tokens/route";
import * as notificationsDeliveries from "../notifications/deliveries/route";
import * as notificationsSubscriptionsIdTest from "../notifications/subscriptions/[id]/test/route";
import * as notificationsSubscriptionsId from "../notifications/subscriptions/[id]/route";
import * as notificationsSubscriptions from "../notifications/subscriptions/route";
import * as peopleId from "../people/[id]/route";
import * as people from "../people/route";
import * as settingsSsoGroups from "../settings/sso-groups/route";
import * as teamsIdMembersUserId from "../teams/[id]/members/[userId]/route";
import * as teamsId from "../teams/[id]/route";
import * as teams from "../teams/route";

type RouteModule = Partial<Record<(typeof documentedMethods)[number], unknown>>;

const modules: [string, RouteModule][] = [
  ["/api/v1/audit", audit],
  ["/api/v1/clusters/[id]/check", clustersIdCheck],
  ["/api/v1/clusters/[id]/delivery", clustersIdDelivery],
  ["/api/v1/clusters", clusters],
  ["/api/v1/costs/budgets", costsBudgets],
  ["/api/v1/costs/export", costsExport],
  ["/api/v1/costs/heatmap", costsHeatmap],
  ["/api/v1/costs/ingest", costsIngest],
  ["/api/v1/costs/recommendations/[id]", costsRecommendationsId],
  ["/api/v1/costs/recommendations", costsRecommendations],
  ["/api/v1/costs/report", costsReport],
  ["/api/v1/costs/settings", costsSettings],
  ["/api/v1/costs/summary", costsSummary],
  ["/api/v1/costs/timeseries", costsTimeseries],
  ["/api/v1/dr-plans/[key]/copy", drPlansKeyCopy],
  ["/api/v1/dr-plans/[key]/history", drPlansKeyHistory],
  ["/api/v1/dr-plans/[key]", drPlansKey],
  ["/api/v1/dr-plans", drPlans],
  ["/api/v1/drills/[id]/abort", drillsIdAbort],
  ["/api/v1/drills/[id]/report", drillsIdReport],
  ["/api/v1/drills/[id]", drillsId],
  ["/api/v1/drills/[id]/steps/[index]/confirm", drillsIdStepsIndexConfirm],
  ["/api/v1/drills/backups", drillsBackups],
  ["/api/v1/drills", drills],
  ["/api/v1/plans", plans],
  ["/api/v1/requests/[id]/approve", requestsIdApprove],
  ["/api/v1/requests/[id]/drift", requestsIdDrift],
  ["/api/v1/requests/[id]/dry-run", requestsIdDryRun],
  ["/api/v1/requests/[id]/force-apply", requestsIdForceApply],
  ["/api/v1/requests/[id]/refresh-delivery", requestsIdRefreshDelivery],
  ["/api/v1/requests/[id]/retry-delivery", requestsIdRetryDelivery],
  ["/api/v1/requests/[id]/reject", requestsIdReject],
  ["/api/v1/requests/[id]/revert", requestsIdRevert],
  ["/api/v1/requests/[id]", requestsId],
  ["/api/v1/requests/[id]/timeline", requestsIdTimeline],
  ["/api/v1/requests", requests],
  ["/api/v1/scaling/request-rate-history", scalingRequestRateHistory],
  ["/api/v1/settings/url-allow-list", settingsUrlAllowList],
  ["/api/v1/notifications/deliveries", notificationsDeliveries],
  ["/api/v1/notifications/subscriptions/[id]/test", notificationsSubscriptionsIdTest],
  ["/api/v1/notifications/subscriptions/[id]", notificationsSubscriptionsId],
  ["/api/v1/notifications/subscriptions", notificationsSubscriptions],
  ["/api/v1/people/[id]", peopleId],
  ["/api/v1/people", people],
  ["/api/v1/settings/sso-groups", settingsSsoGroups],
  ["/api/v1/teams/[id]/members/[userId]", teamsIdMembersUserId],
  ["/api/v1/teams/[id]", teamsId],
  ["/api/v1/teams", teams],
  ["/api/v1/tokens/[id]", tokensId],
  ["/api/v1/tokens", tokens],
];

function declaredOptions(handler: unknown): RouteOptions<never, never, never> | undefined {
  return (handler as { routeOptions?: RouteOptions<never, never, never> } | undefined)?.routeOptions;
}

/** Each exported handler with the options it gave route(), plus this document's own public route. */
export function documentedRoutes(): DocumentedRoute[] {
  const routes: DocumentedRoute[] = [
    {
      method: "GET",
      path: "/api/v1/openapi.json",
      action: null,
      response: z.record(z.string(), z.unknown()).meta({ description: "This OpenAPI 3.1 document" }),
    },
  ];
  for (const [path, module] of modules) {
    for (const method of documentedMethods) {
      const options = declaredOptions(module[method]);
      if (!module[method]) continue;
      if (!options) throw new Error(`${method} ${path} is not wrapped in route(): its schemas cannot be documented`);
      routes.push({
        method,
        path,
        action: options.action,
        params: options.params,
        query: options.query,
        body: options.body,
        response: options.response,
        responseMediaType: options.responseMediaType,
        successStatus: options.successStatus,
      });
    }
  }
  return routes;
}

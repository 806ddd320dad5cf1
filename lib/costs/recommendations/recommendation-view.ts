// Shapes a stored recommendation for the UI (plain JSON, dates as strings, the request form link).
import type { PlanInputDraft } from "@/lib/plans/schema";
import { requestFormHref } from "@/lib/requests/draft-link";
import { kindForDraft } from "@/lib/requests/request-kinds";
import { workloadRefsOf } from "./combined-savings";
import { recommendationRequestView, type LinkedRequest } from "./recommendation-request";

interface StoredRecommendation {
  id: string;
  category: string;
  title: string;
  team: string | null;
  resources: unknown;
  currentMonthlyUsd: number;
  projectedSavingsUsd: number;
  confidence: string;
  effort: string;
  rationale: string;
  actionItems: unknown;
  requestDraft: unknown;
  state: string;
  snoozedUntil: Date | null;
  dismissReason: string | null;
  /** The request "Create request" produced, when one did. */
  request?: LinkedRequest | null;
}

export function recommendationView(r: StoredRecommendation) {
  const request = r.request ? recommendationRequestView(r.request) : null;
  return {
    id: r.id,
    category: r.category,
    title: r.title,
    team: r.team,
    resources: workloadRefsOf(r.resources),
    currentMonthlyUsd: r.currentMonthlyUsd,
    projectedSavingsUsd: r.projectedSavingsUsd,
    confidence: r.confidence,
    effort: r.effort,
    rationale: r.rationale,
    actionItems: Array.isArray(r.actionItems) ? r.actionItems.map(String) : [],
    state: r.state,
    snoozedUntil: r.snoozedUntil ? r.snoozedUntil.toISOString() : null,
    dismissReason: r.dismissReason,
    // The kind that applies the advice (spot training: a GPU node pool; replicas of a model server: inference scaling).
    // While a request carries the advice, the link is to it, not to a second request.
    requestHref:
      r.requestDraft && !request?.active
        ? requestFormHref(
            r.requestDraft as PlanInputDraft,
            kindForDraft(r.requestDraft as PlanInputDraft),
            r.id,
            r.team,
          )
        : null,
    request,
  };
}

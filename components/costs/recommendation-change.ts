// What the recommendation table and drawer share: the item shape, the names of the types, and the one call that
// changes a recommendation's state.
import type { WorkloadRef } from "@/lib/costs/recommendations/combined-savings";
import type { RecommendationRequestView } from "@/lib/costs/recommendations/recommendation-request";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";

export interface RecommendationItem {
  id: string;
  category: string;
  title: string;
  team: string | null;
  /** The workloads the advice changes: advice sharing one overlaps and does not add up. */
  resources: WorkloadRef[];
  currentMonthlyUsd: number;
  projectedSavingsUsd: number;
  confidence: string;
  effort: string;
  rationale: string;
  actionItems: string[];
  state: string;
  snoozedUntil: string | null;
  dismissReason: string | null;
  requestHref: string | null;
  /** The request "Create request" produced and its progress; null when none did. */
  request?: RecommendationRequestView | null;
}

const categoryNames: Record<string, string> = {
  idle: "Idle GPUs",
  spot: "Spot capacity",
  "right-sizing": "Right-sizing",
  "reserved-capacity": "Reserved capacity",
  "scheduled-scaling": "Scheduled scaling",
  consolidation: "Consolidation",
};

/** The type as people say it ("Idle GPUs", not "idle": "idle" alone also names a share of cost elsewhere). */
export function categoryLabel(category: string): string {
  return categoryNames[category] ?? category;
}

export type RecommendationChange =
  | { action: "accept" }
  | { action: "reopen" }
  | { action: "snooze"; days: number }
  | { action: "dismiss"; reason: string };

/**
 * The call that changes a recommendation's state; the queries of the recommendation list refetch after it. A refusal
 * carries the server's message per field (a dismiss reason too short is on "reason").
 */
export function useRecommendationChange(): (
  id: string,
  body: RecommendationChange,
) => Promise<{ ok: true } | { ok: false; message: string; fields: Record<string, string> }> {
  const change = useApiMutation(api.costs.changeRecommendation, { invalidates: [api.costs.recommendations] });
  return (id, body) =>
    change.mutateAsync({ path: { id }, body }).then(
      () => ({ ok: true }) as const,
      (e: unknown) => {
        const error = asApiError(e);
        return { ok: false, message: error.message, fields: error.fieldMessages() } as const;
      },
    );
}

// Where the request a recommendation produced stands, in the steps a reader follows: submitted → approved →
// applied, or failed; a rejected, cancelled or reverted request no longer acts on the advice. Pure.

export const progressSteps = ["submitted", "approved", "applied"] as const;
export type ProgressStep = (typeof progressSteps)[number] | "failed" | "closed";

export interface LinkedRequest {
  id: string;
  number: number;
  status: string;
}

export interface RecommendationRequestView extends LinkedRequest {
  step: ProgressStep;
  /** Words for the step: "waiting for approval", "applying", "apply failed: retry or revert from the request". */
  label: string;
  /** Applied: the advice is acted on. */
  actedOn: boolean;
  /** The request still carries the advice (not rejected, cancelled or reverted): no second request is offered. */
  active: boolean;
}

export function recommendationRequestView(r: LinkedRequest): RecommendationRequestView {
  const at = (step: ProgressStep, label: string, active = true) => ({
    ...r,
    step,
    label,
    actedOn: step === "applied",
    active,
  });
  switch (r.status) {
    case "pending_approval":
      return at("submitted", "waiting for approval");
    case "approved":
      return at("approved", "approved, waiting to be applied");
    case "applying":
      return at("approved", "applying");
    case "applied":
      return at("applied", "applied: the advice is acted on");
    case "apply_failed":
      return at("failed", "apply failed: retry it from the request");
    case "rejected":
      return at("closed", "rejected: the advice is open again", false);
    case "reverted":
      return at("closed", "reverted: the advice is open again", false);
    default:
      return at("closed", `${r.status.replace(/_/g, " ")}: the advice is open again`, false);
  }
}

/** An open recommendation whose request was applied counts as acted on (accepted), whatever was stored. */
export function effectiveRecommendationState(state: string, request: LinkedRequest | null): string {
  return state === "open" && request?.status === "applied" ? "accepted" : state;
}

// The request a recommendation produced and how far it has got (submitted → approved → applied, or failed), as a
// small self-contained block any recommendation view (list, card or table row) can embed.
import { progressSteps, type RecommendationRequestView } from "@/lib/costs/recommendations/recommendation-request";

export function RecommendationRequestProgress({ request }: { request: RecommendationRequestView | null | undefined }) {
  if (!request) return null;
  const reached = progressSteps.indexOf(request.step as (typeof progressSteps)[number]);
  const tone = request.step === "failed" ? "badge-danger" : request.actedOn ? "badge-success" : "";
  return (
    <div
      className="row row-tight flush mt-4 mb-8"

      data-testid="recommendation-request"
    >
      <a href={`/requests/${request.id}`}>REQ-{request.number}</a>
      {request.active && request.step !== "failed" ? (
        <ol aria-label={`Progress of REQ-${request.number}`} className="row list-bare gap-6">
          {progressSteps.map((step, i) => (
            <li
              key={step}
              aria-current={i === reached ? "step" : undefined}
              className={`badge${i <= reached ? ` ${i === reached ? tone || "badge-info" : "badge-success"}` : ""}`}
              style={i > reached ? { opacity: 0.55 } : undefined}
            >
              {step}
            </li>
          ))}
        </ol>
      ) : null}
      <span className="help" role="status">
        {request.step === "failed" ? <span className="badge badge-danger">failed</span> : null} {request.label}
      </span>
    </div>
  );
}

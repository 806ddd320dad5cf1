import { planOutputSchema } from "@/lib/plans/plan-output-schema";
import { route } from "@/lib/http/route.server";
import { DomainError } from "@/lib/errors/domain-error";
import { planInputSchema } from "@/lib/plans/schema";
import { generatePlan } from "@/lib/plans/generate-plan";
import { livePriceListFor } from "@/lib/pricing/price-list.server";
import { PlanValidationError } from "@/lib/plans/validate-manifests";

// POST /api/v1/plans: the plan engine over HTTP (input as in /api/v1/openapi.json).
export const POST = route(
  { action: "plan.generate", response: planOutputSchema, body: planInputSchema },
  async ({ body }) => {
    try {
      return await generatePlan(body, await livePriceListFor(body.cloud_provider, body.region));
    } catch (error) {
      if (error instanceof PlanValidationError)
        throw new DomainError(
          "invalid_plan",
          error.message,
          error.errors.map((e) => ({ path: `${e.object}.${e.path}`, message: e.message })),
        );
      throw error;
    }
  },
);

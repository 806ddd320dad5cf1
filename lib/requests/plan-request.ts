// Turns a request's form input into the exact plan that will be stored, reviewed and applied. Pure.
import { createHash } from "node:crypto";
import { generatePlan, type PlanOutput } from "@/lib/plans/generate-plan";
import { planInputSchema, type PlanInput } from "@/lib/plans/schema";
import type { PriceList } from "@/lib/pricing/price-list";
import { blockingFindings } from "@/lib/plans/viability/blocking-findings";
import { PlanValidationError } from "@/lib/plans/validate-manifests";
import type { FieldError } from "@/lib/errors/domain-error";
import { planInputForKind, type RequestKind } from "./request-kinds";

export type PlannedRequest =
  | { ok: true; input: PlanInput; plan: PlanOutput; planHash: string }
  | { ok: false; reason: "invalid_input" | "invalid_plan" | "unviable_plan"; message: string; fields: FieldError[] };

/**
 * `loadPrices`: the live price list of the parsed input's cloud and region (the server reads its price cache); without
 * it the cost estimate is priced from the offline table.
 */
export async function planRequest(
  kind: RequestKind,
  rawInput: Record<string, unknown>,
  loadPrices?: (input: PlanInput) => Promise<PriceList | null>,
): Promise<PlannedRequest> {
  const parsed = planInputSchema.safeParse(planInputForKind(kind, rawInput));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => ({
      path: ["input", ...i.path.map(String)].join("."),
      message: i.message,
    }));
    return {
      ok: false,
      reason: "invalid_input",
      message: fields.map((f) => `${f.path}: ${f.message}`).join("; "),
      fields,
    };
  }
  try {
    const plan = await generatePlan(parsed.data, loadPrices ? await loadPrices(parsed.data) : null);
    const blocking = blockingFindings(plan.viability_report);
    if (blocking.length > 0) {
      // A plan that would not work once applied (pods that never schedule, volumes that never bind, backups without
      // the data) is refused before anyone reviews it; the fields name each object and its fix.
      const fields = blocking.map((f) => ({
        path: `plan.${[f.object.kind, f.object.namespace, f.object.name].filter(Boolean).join("/")}.${f.path}`,
        message: `${f.message} Fix: ${f.fix}`,
      }));
      return {
        ok: false,
        reason: "unviable_plan",
        message: `the plan would not work once applied (${blocking.length} blocking finding${blocking.length === 1 ? "" : "s"}): ${fields.map((f) => f.message).join("; ")}`,
        fields,
      };
    }
    return { ok: true, input: parsed.data, plan, planHash: hashPlan(plan) };
  } catch (error) {
    if (error instanceof PlanValidationError) {
      return {
        ok: false,
        reason: "invalid_plan",
        message: error.message,
        fields: error.errors.map((e) => ({ path: `plan.${e.object}.${e.path}`, message: e.message })),
      };
    }
    throw error;
  }
}

/** Identity of a plan's content: what was approved is what is applied. */
export function hashPlan(plan: PlanOutput): string {
  return createHash("sha256")
    .update(JSON.stringify(plan.deployment_manifests))
    .update(JSON.stringify(plan.infrastructure_config))
    .digest("hex");
}

export function criticalFindingCount(plan: PlanOutput): number {
  return plan.security_report.counts.critical ?? 0;
}

// A request's plan and input are JSON columns: they are parsed where they leave the database, so a row of another
// shape fails here with the field named, not deep inside an apply. The manifests are checked object by object (an
// apply sends each one); the reports are shown as stored, so only their being objects is checked.
import { z } from "zod";
import type { PlanOutput } from "@/lib/plans/generate-plan";
import type { CostEstimate } from "@/lib/plans/estimate-cost";
import type { ManifestValidation } from "@/lib/plans/validate-manifests";
import type { SecurityReport } from "@/lib/security/types";
import { planInputSchema, type PlanInput } from "@/lib/plans/schema";

const stringMap = z.record(z.string(), z.string());

const storedManifest = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
});

const isObject = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);

const storedPlan = z.object({
  infrastructure_config: z.record(z.string(), z.unknown()),
  deployment_manifests: z.array(storedManifest),
  cost_estimate: z.custom<CostEstimate>(isObject, "must be an object"),
  security_report: z.custom<SecurityReport>(isObject, "must be an object"),
  // Optional: a plan can be stored without a viability report; the plan tabs show none then.
  viability_report: z.custom<SecurityReport>(isObject, "must be an object").optional(),
  // Optional: plans stored before requirements were listed carry none.
  requires: z.custom<PlanOutput["requires"]>((value) => Array.isArray(value), "must be an array").optional(),
  runbooks: z.array(z.string()),
  validation: z.custom<ManifestValidation>(isObject, "must be an object"),
});

export type StoredPlan = Omit<PlanOutput, "viability_report" | "requires"> & {
  viability_report?: PlanOutput["viability_report"];
  requires?: PlanOutput["requires"];
};

/** The plan stored with a request (requests.plan), typed; throws a ZodError naming the field when it is not one. */
export function parseStoredPlan(json: unknown): StoredPlan {
  return storedPlan.parse(json);
}

const storedManifests = z.object({ deployment_manifests: z.array(storedManifest) });

/**
 * The manifests of a stored plan, all an apply, a dry run or a drift check sends or reads; the rest of the row is
 * not needed there and is not required to be present.
 */
export function parseStoredManifests(json: unknown): PlanOutput["deployment_manifests"] {
  return storedManifests.parse(json).deployment_manifests;
}

/** The parsed input stored with a request (requests.input); parsing it again gives the same input. */
export function parseStoredPlanInput(json: unknown): PlanInput {
  return planInputSchema.parse(json);
}

// The plan engine's output as a response schema. PlanOutput has no zod form of its own (lib/plans/openapi.ts
// describes it by hand for the OpenAPI document), so this only checks it is an object and carries the type.
import { z } from "zod";
import type { PlanOutput } from "./generate-plan";

export const planOutputSchema = z
  .custom<PlanOutput>((value) => typeof value === "object" && value !== null && !Array.isArray(value))
  .meta({ description: "The plan: manifests, Terraform, cost, security report (see POST /api/v1/plans)" });

/** A plan as stored with a request: plans stored before the viability checker carry no viability report. */
export const storedPlanOutputSchema = z
  .custom<
    Omit<PlanOutput, "viability_report" | "requires"> & {
      viability_report?: PlanOutput["viability_report"];
      requires?: PlanOutput["requires"];
    }
  >((value) => typeof value === "object" && value !== null && !Array.isArray(value))
  .meta({ description: "The plan stored with the request (see POST /api/v1/plans)" });

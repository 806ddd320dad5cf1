// Path and query parameters of the DR API routes (app/api/v1/drills, app/api/v1/dr-plans).
import { z } from "zod";
import { planKey } from "./schema";

export const runIdParams = z.object({ id: z.string().min(1).max(64) });
export const stepParams = runIdParams.extend({ index: z.coerce.number().int().min(0).max(49) });
export const planKeyParams = z.object({ key: planKey });
export const planQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
export const historyQuery = z.object({
  mode: z.enum(["live", "dry_run"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export const reportQuery = z.object({ format: z.enum(["md", "html"]).default("md") });

// The JSON columns the drill runner writes (DrillRun.evidence, DrillStepResult.output), checked where they leave
// the database. Their shapes are open (each action adds its own fields), so the schemas check what every reader
// relies on and pass the rest through.
import { z } from "zod";
import type { StepOutput } from "./step-record";
import type { StoredEvidence } from "./stored-evidence";

const entries = z.array(z.looseObject({})).optional();

const storedEvidenceShape = z.looseObject({
  backup: z.looseObject({}).optional(),
  failure: z.looseObject({}).optional(),
  restores: entries,
  healthChecks: entries,
  rollouts: entries,
  canaries: entries,
  canaryChecks: entries,
  rollForwards: entries,
  cleanups: entries,
  notes: z.array(z.string()).optional(),
  rtoBasis: z.string().optional(),
  rpoBasis: z.string().optional(),
  worstCaseRpoSeconds: z.number().nullable().optional(),
  worstCaseRpoBasis: z.string().optional(),
});

const stepOutputShape = z.looseObject({
  validation: z.looseObject({ state: z.enum(["succeeded", "failed"]) }).optional(),
  rollback: z.looseObject({ state: z.enum(["running", "succeeded", "failed"]) }).optional(),
  dryRun: z.looseObject({ wouldDo: z.string(), ok: z.boolean() }).optional(),
  timedOut: z.boolean().optional(),
  progress: z.string().optional(),
});

/** DrillRun.evidence: `{}` until the run finishes. */
export const storedEvidenceSchema = z.custom<StoredEvidence>((value) => storedEvidenceShape.safeParse(value).success, {
  message: "is not drill evidence",
});

/** DrillStepResult.output: `{}` until the step has run. */
export const stepOutputSchema = z.custom<StepOutput>((value) => stepOutputShape.safeParse(value).success, {
  message: "is not a drill step's output",
});

/** A JSON column's value through its schema; a row that does not fit names the column instead of misleading a reader. */
export function parseStoredJson<T>(schema: z.ZodType<T>, value: unknown, column: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new Error(`${column} ${parsed.error.issues[0]?.message ?? "does not fit its schema"}`);
  return parsed.data;
}

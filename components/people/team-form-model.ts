// Pure helpers of the team forms (People and teams): the text people type to the API body and back, and each error
// (the browser's zod issues or the API's 422 `fields`) put on the field it belongs to. Browser-safe: no I/O.
import { fieldErrorsFromIssues, type FieldError } from "@/lib/errors/domain-error";
import { createTeamSchema, updateTeamSchema } from "@/lib/people/schema";

export interface TeamFormValues {
  slug: string;
  name: string;
  /** Comma- or space-separated cost label values. */
  costLabelValues: string;
  /** US dollars a month; empty for no budget. */
  monthlyBudgetUsd: string;
}
export type TeamField = keyof TeamFormValues;
export const teamFields: readonly TeamField[] = ["slug", "name", "costLabelValues", "monthlyBudgetUsd"];

export type TeamFormErrors = Partial<Record<TeamField, string>>;

export function splitLabelValues(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** "" → null; "12,500.50" or "$12500" → 12500.5; anything else is kept as text so the schema names the field. */
export function budgetFromText(text: string): number | null | string {
  const cleaned = text.replace(/[\s$,]/g, "");
  if (cleaned === "") return null;
  return /^\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : text;
}

export function formValuesOf(team: {
  slug: string;
  name: string;
  costLabelValues: string[];
  monthlyBudgetUsd: number | null;
}): TeamFormValues {
  return {
    slug: team.slug,
    name: team.name,
    costLabelValues: team.costLabelValues.join(", "),
    monthlyBudgetUsd: team.monthlyBudgetUsd === null ? "" : String(team.monthlyBudgetUsd),
  };
}

/** The first path segment that names a form field ("costLabelValues.2" → costLabelValues), else undefined. */
function fieldOf(path: string): TeamField | undefined {
  const head = path.replace(/^body\./, "").split(".")[0];
  return (teamFields as readonly string[]).includes(head!) ? (head as TeamField) : undefined;
}

export function errorsByField(fields: readonly FieldError[], values: TeamFormValues): TeamFormErrors {
  const errors: TeamFormErrors = {};
  for (const f of fields) {
    const field = fieldOf(f.path);
    if (!field || errors[field]) continue;
    const index = /^(?:body\.)?costLabelValues\.(\d+)/.exec(f.path)?.[1];
    const value = index !== undefined ? splitLabelValues(values.costLabelValues)[Number(index)] : undefined;
    errors[field] = value !== undefined ? `"${value}" ${f.message}` : f.message;
  }
  return errors;
}

export type TeamBody = { ok: true; body: Record<string, unknown> } | { ok: false; errors: TeamFormErrors };

/** The body of POST /api/v1/teams (create) or PATCH /api/v1/teams/{id} (edit: the slug is not sent), checked. */
export function teamBody(values: TeamFormValues, mode: "create" | "edit"): TeamBody {
  const body: Record<string, unknown> = {
    name: values.name,
    costLabelValues: splitLabelValues(values.costLabelValues),
    monthlyBudgetUsd: budgetFromText(values.monthlyBudgetUsd),
  };
  if (mode === "create") body.slug = values.slug;
  const parsed = (mode === "create" ? createTeamSchema : updateTeamSchema).safeParse(body);
  if (parsed.success) return { ok: true, body };
  return { ok: false, errors: errorsByField(fieldErrorsFromIssues(parsed.error.issues), values) };
}

// Pure helpers of Settings → Single sign-on groups: one "group = value" per line to the API's mapping and back, and
// each error (the browser's zod issues or the API's 422 `fields`) turned into "Role line 2: …". Browser-safe.
import { fieldErrorsFromIssues, type FieldError } from "@/lib/errors/domain-error";
import { ssoGroupMappingSchema, type SsoGroupMapping } from "@/lib/auth/sso-groups";

export interface MappingText {
  claim: string;
  roles: string;
  teams: string;
}

export type MappingErrors = Partial<Record<keyof MappingText, string[]>>;

export function textOfMapping(m: SsoGroupMapping): MappingText {
  return {
    claim: m.claim,
    roles: m.roles.map((r) => `${r.group} = ${r.role}`).join("\n"),
    teams: m.teams.map((t) => `${t.group} = ${t.team}`).join("\n"),
  };
}

/** Non-empty lines with their 1-based line numbers. */
function lines(text: string): { line: number; text: string }[] {
  return text
    .split("\n")
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== "");
}

function pairs(
  text: string,
  what: "role" | "team",
  errors: string[],
): { group: string; value: string; line: number }[] {
  const out: { group: string; value: string; line: number }[] = [];
  for (const l of lines(text)) {
    // The last "=" splits: group names such as LDAP DNs hold "=" themselves.
    const at = l.text.lastIndexOf("=");
    if (at <= 0) errors.push(`line ${l.line}: "${l.text}" is not group = ${what}`);
    else out.push({ group: l.text.slice(0, at).trim(), value: l.text.slice(at + 1).trim(), line: l.line });
  }
  return out;
}

export type ParsedMapping =
  { ok: true; mapping: SsoGroupMapping; body: unknown } | { ok: false; errors: MappingErrors };

export function mappingFromText(text: MappingText): ParsedMapping {
  const errors: MappingErrors = {};
  const roleErrors: string[] = [];
  const teamErrors: string[] = [];
  const roles = pairs(text.roles, "role", roleErrors);
  const teams = pairs(text.teams, "team", teamErrors);
  const body = {
    claim: text.claim,
    roles: roles.map((r) => ({ group: r.group, role: r.value })),
    teams: teams.map((t) => ({ group: t.group, team: t.value })),
  };
  const parsed = ssoGroupMappingSchema.safeParse(body);
  if (roleErrors.length) errors.roles = roleErrors;
  if (teamErrors.length) errors.teams = teamErrors;
  if (!parsed.success)
    Object.assign(errors, mergeErrors(errors, errorsOfFields(fieldErrorsFromIssues(parsed.error.issues), text)));
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, mapping: parsed.data!, body };
}

function mergeErrors(a: MappingErrors, b: MappingErrors): MappingErrors {
  const out: MappingErrors = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof MappingText, string[]][]) out[k] = [...(out[k] ?? []), ...v];
  return out;
}

/** "roles.1.role: must be one of …" → roles: ["line 3: must be one of …"] (the line of the second non-empty line). */
export function errorsOfFields(fields: readonly FieldError[], text: MappingText): MappingErrors {
  const errors: MappingErrors = {};
  for (const f of fields) {
    const [head, index, part] = f.path.replace(/^body\./, "").split(".");
    if (head === "claim") (errors.claim ??= []).push(f.message);
    else if (head === "roles" || head === "teams") {
      const line = index !== undefined ? lines(text[head])[Number(index)]?.line : undefined;
      (errors[head] ??= []).push(line ? `line ${line}${part ? ` (${part})` : ""}: ${f.message}` : f.message);
    }
  }
  return errors;
}

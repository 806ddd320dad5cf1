// Which portal role and teams a single sign-on gives, from the identity provider's groups claim. Pure: the mapping
// (Settings → Single sign-on groups, or the OIDC_GROUP_* environment defaults) and the claim come in, a decision
// goes out. It is applied at every sign-in, so a group change at the provider takes effect at the next sign-in.
import { z } from "zod";
import { teamSlug } from "@/lib/people/schema";
import { roles, type Role } from "./permissions";

export const SSO_GROUP_MAPPING_KEY = "auth.sso-group-mapping";

const groupName = z.string().trim().min(1, "must not be empty").max(256, "must be at most 256 characters");
const claimName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters")
  .regex(/^[A-Za-z0-9_:./-]+$/, "must be a claim name: letters, digits and _ : . / - (e.g. groups or cognito:groups)");

export const roleValue = z.enum(roles, { message: `must be one of ${roles.join(", ")}` });
export const teamValue = teamSlug;

/** PUT /api/v1/settings/sso-groups and the stored setting: the first role line whose group the person has wins. */
export const ssoGroupMappingSchema = z.object({
  claim: claimName.default("groups"),
  roles: z
    .array(z.object({ group: groupName, role: roleValue }))
    .max(200, "at most 200 role lines")
    .default([]),
  teams: z
    .array(z.object({ group: groupName, team: teamSlug }))
    .max(500, "at most 500 team lines")
    .default([]),
});
export type SsoGroupMapping = z.output<typeof ssoGroupMappingSchema>;

/** Whether any group is mapped: with none, sign-in leaves roles and teams to admins (the portal's older behaviour). */
export function mapsGroups(mapping: SsoGroupMapping): boolean {
  return mapping.roles.length > 0 || mapping.teams.length > 0;
}

export type ParsedPairs<V> = { ok: true; pairs: { group: string; value: V }[] } | { ok: false; problem: string };

/**
 * `group=value,group=value` (the OIDC_GROUP_ROLES / OIDC_GROUP_TEAMS environment form). The last `=` splits, so a
 * group name may hold `=` (LDAP DNs: `cn=ml,ou=groups=sre`); `;` separates too, for DNs that hold commas.
 */
export function parseGroupPairs<V extends string>(text: string, value: z.ZodType<V>, what: string): ParsedPairs<V> {
  const separator = text.includes(";") ? ";" : ",";
  const pairs: { group: string; value: V }[] = [];
  for (const raw of text.split(separator)) {
    const item = raw.trim();
    if (!item) continue;
    const at = item.lastIndexOf("=");
    const group = at > 0 ? item.slice(0, at).trim() : "";
    if (!group)
      return {
        ok: false,
        problem: `"${item}" is not group=${what}: write e.g. ml-platform-admins=${what === "role" ? "platform-admin" : "nlp"}`,
      };
    const parsed = value.safeParse(item.slice(at + 1).trim());
    if (!parsed.success)
      return { ok: false, problem: `"${item}": the ${what} ${parsed.error.issues[0]?.message ?? "is invalid"}` };
    pairs.push({ group, value: parsed.data });
  }
  return { ok: true, pairs };
}

/** The mapping the environment gives, used until an admin saves one in Settings. */
export function mappingFromEnv(env: {
  OIDC_GROUPS_CLAIM: string;
  OIDC_GROUP_ROLES: { group: string; value: Role }[];
  OIDC_GROUP_TEAMS: { group: string; value: string }[];
}): SsoGroupMapping {
  return {
    claim: env.OIDC_GROUPS_CLAIM,
    roles: env.OIDC_GROUP_ROLES.map((p) => ({ group: p.group, role: p.value })),
    teams: env.OIDC_GROUP_TEAMS.map((p) => ({ group: p.group, team: p.value })),
  };
}

/** The groups claim as the provider sent it: an array of strings, or one string; anything else is no groups. */
export function groupsFromClaims(claims: Record<string, unknown> | undefined, claim: string): string[] {
  const value = claims?.[claim];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((g): g is string => typeof g === "string" && g.length > 0 && g.length <= 256))].slice(
    0,
    1000,
  );
}

export type SsoGrants =
  /** No group is mapped: sign-in does not touch role or teams. */
  | { kind: "unmapped" }
  /** None of the person's groups is mapped: they may not sign in (removed from every mapped group). */
  | { kind: "no-access"; message: string }
  | {
      kind: "grants";
      /** The role and the group that gave it; null when only teams matched (then the default or manual role stands). */
      role: { role: Role; group: string } | null;
      /** Team slug → the first group that gave it. */
      teams: { team: string; group: string }[];
    };

export function decideSsoGrants(groups: readonly string[], mapping: SsoGroupMapping): SsoGrants {
  if (!mapsGroups(mapping)) return { kind: "unmapped" };
  const have = new Set(groups);
  const roleLine = mapping.roles.find((line) => have.has(line.group));
  const teams = new Map<string, string>();
  for (const line of mapping.teams) if (have.has(line.group) && !teams.has(line.team)) teams.set(line.team, line.group);
  if (!roleLine && teams.size === 0) {
    return {
      kind: "no-access",
      message: `You are in none of the identity-provider groups the portal maps (claim "${mapping.claim}"): ask your identity provider's administrator to add you to your team's group.`,
    };
  }
  return {
    kind: "grants",
    role: roleLine ? { role: roleLine.role, group: roleLine.group } : null,
    teams: [...teams].map(([team, group]) => ({ team, group })),
  };
}

export interface CurrentGrants {
  role: Role;
  roleSource: "sso" | "manual";
  memberships: { teamId: string; teamSlug: string; source: "sso" | "manual" }[];
}

export interface GrantChanges {
  /** The role to store, with its source; null leaves the role as it is. */
  role: { role: Role; source: "sso" | "manual"; group: string | null } | null;
  /** SSO memberships to add (team slug + group); manual memberships of those teams are kept as they are. */
  addTeams: { team: string; group: string }[];
  /** Team ids of SSO memberships the groups no longer give. */
  removeTeamIds: string[];
}

/**
 * What to change on an existing person so that their SSO-given role and teams match `grants`. Manual memberships
 * are never removed (an admin added them); an SSO role whose group is gone falls back to `defaultRole`
 * (still SSO-sourced, so a role group given later applies); a manual role stays when no role group matches.
 */
export function grantChanges(
  current: CurrentGrants,
  grants: Extract<SsoGrants, { kind: "grants" }>,
  defaultRole: Role,
): GrantChanges {
  let role: GrantChanges["role"] = null;
  if (grants.role) role = { role: grants.role.role, source: "sso", group: grants.role.group };
  else if (current.roleSource === "sso") role = { role: defaultRole, source: "sso", group: null };
  const wanted = new Set(grants.teams.map((t) => t.team));
  const held = new Set(current.memberships.map((m) => m.teamSlug));
  return {
    role,
    addTeams: grants.teams.filter((t) => !held.has(t.team)),
    removeTeamIds: current.memberships
      .filter((m) => m.source === "sso" && !wanted.has(m.teamSlug))
      .map((m) => m.teamId),
  };
}

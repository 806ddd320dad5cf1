import "server-only";
import { readEnv } from "@/lib/env/get-env";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma, type Db, type Tx } from "@/lib/db/prisma.server";
import { logger } from "@/lib/observability/logger";
import { defineSetting } from "@/lib/settings/setting";
import { readSetting } from "@/lib/settings/setting-store.server";
import { decideOidcLink } from "./oidc-link";
import type { Role } from "./permissions";
import {
  decideSsoGrants,
  grantChanges,
  groupsFromClaims,
  mappingFromEnv,
  ssoGroupMappingSchema,
  SSO_GROUP_MAPPING_KEY,
  type SsoGroupMapping,
} from "./sso-groups";

const roleToDb = (role: Role) => role.replace("-", "_") as "ml_engineer" | "finance" | "sre" | "platform_admin";
const roleFromDbValue = (role: string) => role.replace("_", "-") as Role;

/** The admin's group mapping (Settings); without one, the environment's OIDC_GROUP_* apply. */
export const ssoGroupMappingSetting = defineSetting(SSO_GROUP_MAPPING_KEY, ssoGroupMappingSchema);

export interface SsoEnv {
  OIDC_DEFAULT_ROLE: Role;
  OIDC_GROUPS_CLAIM: string;
  OIDC_GROUP_ROLES: { group: string; value: Role }[];
  OIDC_GROUP_TEAMS: { group: string; value: string }[];
  /** Every email the provider sends counts as verified (providers that send no email_verified, e.g. Entra ID). */
  OIDC_TRUST_EMAIL?: boolean;
}

/** The single sign-on settings of the environment (validated at start-up, so parsing here cannot fail in practice). */
export function ssoEnv(): SsoEnv {
  const parsed = readEnv();
  if (!parsed.ok) throw new Error(`invalid configuration: ${parsed.problems.join("; ")}`);
  return parsed.env;
}

/** The admin's saved mapping (Settings), else the environment's; `source` says which. */
export async function readSsoGroupMapping(
  env: SsoEnv,
  db: Db | Tx = getPrisma(),
): Promise<{ mapping: SsoGroupMapping; source: "settings" | "environment" }> {
  const stored = await readSetting(db, ssoGroupMappingSetting);
  if (stored.state === "valid") return { mapping: stored.value, source: "settings" };
  if (stored.state === "invalid")
    logger.error(
      { issues: stored.issues },
      "stored single sign-on group mapping is unreadable: using the environment's",
    );
  return { mapping: mappingFromEnv(env), source: "environment" };
}

export interface SsoProfile {
  subject: string;
  email: string | undefined;
  name: string | undefined;
  /** Every claim the ID token carries: the groups claim is read from here first. */
  claims: Record<string, unknown>;
  /**
   * The provider's userinfo claims, asked for only when the ID token has no groups claim (many providers put groups
   * only there). A failure to read them fails the sign-in without changing the account.
   */
  userinfo?: () => Promise<Record<string, unknown>>;
}

export type SsoSignInResult =
  { ok: true; userId: string } | { ok: false; reason: "refused" | "disabled" | "no-access"; message: string };

/**
 * The ID token's claims, with the groups claim taken from userinfo when the ID token has none. A userinfo read that
 * fails throws: the sign-in fails as unavailable and the account is left as it was, rather than being treated as
 * removed from every group (which would end the person's sessions).
 */
async function claimsWithGroups(
  profile: SsoProfile,
  claim: string,
): Promise<{ claims: Record<string, unknown>; userinfo: Record<string, unknown> | null }> {
  if (claim in profile.claims || !profile.userinfo) return { claims: profile.claims, userinfo: null };
  const userinfo = await profile.userinfo();
  return {
    claims: claim in userinfo ? { ...profile.claims, [claim]: userinfo[claim] } : profile.claims,
    userinfo,
  };
}

/**
 * Whether the provider vouches for the email: the ID token's email_verified, else userinfo's when it was read (only
 * when userinfo speaks of the same subject and email, OpenID Connect Core 5.3.2), else the OIDC_TRUST_EMAIL setting.
 */
function emailVerified(
  profile: SsoProfile,
  email: string | undefined,
  userinfo: Record<string, unknown> | null,
  env: SsoEnv,
): boolean {
  if (profile.claims.email_verified === true) return true;
  if (
    userinfo &&
    userinfo.email_verified === true &&
    userinfo.sub === profile.subject &&
    typeof userinfo.email === "string" &&
    userinfo.email.toLowerCase() === email
  )
    return true;
  return env.OIDC_TRUST_EMAIL === true;
}

/**
 * One single sign-on: finds or links the account (oidc-link.ts), then makes its SSO-given role and teams match the
 * groups the provider sent now, in one transaction with the audit event. A person in no mapped group is refused and
 * every session they still hold ends (raising sessionVersion), so removal at the provider takes their access away.
 */
export async function ssoSignIn(profile: SsoProfile, env: SsoEnv, now: Date): Promise<SsoSignInResult> {
  const db = getPrisma();
  const email = profile.email?.toLowerCase();
  const { mapping, source } = await readSsoGroupMapping(env, db);
  const read = await claimsWithGroups(profile, mapping.claim);
  const groups = groupsFromClaims(read.claims, mapping.claim);
  const verified = emailVerified(profile, email, read.userinfo, env);
  const grants = decideSsoGrants(groups, mapping);
  return db.$transaction(async (tx) => {
    const bySubject = await tx.user.findUnique({
      where: { oidcSubject: profile.subject },
      select: { id: true, oidcSubject: true },
    });
    const byEmail = email
      ? await tx.user.findUnique({ where: { email }, select: { id: true, oidcSubject: true } })
      : null;
    const decision = decideOidcLink({ subject: profile.subject, email, emailVerified: verified }, bySubject, byEmail);
    const deny = async (reason: string, targetId: string, details: Record<string, unknown> = {}) =>
      recordAudit(tx, {
        actor: null,
        action: "auth.sign-in",
        targetType: "user",
        targetId,
        outcome: "denied",
        details: { provider: "oidc", reason, ...details },
      });
    if (decision.action === "refuse") {
      await deny(decision.message, email ?? profile.subject);
      return { ok: false, reason: "refused", message: decision.message } as const;
    }
    if (grants.kind === "no-access") {
      const existingId = decision.action === "create" ? null : decision.userId;
      if (existingId) {
        // Their groups were taken away at the provider: sessions they still hold end now, not in up to 8 hours.
        await tx.user.update({
          where: { id: existingId },
          data: { sessionVersion: { increment: 1 }, ssoGroups: groups },
        });
        await tx.membership.deleteMany({ where: { userId: existingId, source: "sso" } });
        // Their personal API tokens would otherwise go on acting with the role they had: revoke them with the sessions.
        const tokens = await tx.apiToken.findMany({
          where: { ownerId: existingId, revokedAt: null },
          select: { id: true, name: true },
        });
        await tx.apiToken.updateMany({ where: { id: { in: tokens.map((t) => t.id) } }, data: { revokedAt: now } });
        for (const token of tokens)
          await recordAudit(tx, {
            actor: null,
            action: "api-token.revoke",
            targetType: "api-token",
            targetId: token.id,
            outcome: "success",
            details: { kind: "personal", name: token.name, reason: "owner removed from every mapped group" },
          });
      }
      await deny(grants.message, existingId ?? email ?? profile.subject, { groups, mappingFrom: source });
      return { ok: false, reason: "no-access", message: grants.message } as const;
    }
    const initialRole: Role = grants.kind === "grants" && grants.role ? grants.role.role : env.OIDC_DEFAULT_ROLE;
    const person =
      decision.action === "create"
        ? await tx.user.create({
            data: {
              email: decision.email,
              name: profile.name ?? decision.email,
              role: roleToDb(initialRole),
              roleSource: grants.kind === "grants" ? "sso" : "manual",
              roleSsoGroup: grants.kind === "grants" ? (grants.role?.group ?? null) : null,
              oidcSubject: profile.subject,
            },
            include: { memberships: { include: { team: { select: { slug: true } } } } },
          })
        : await tx.user.update({
            where: { id: decision.userId },
            data: decision.action === "link" ? { oidcSubject: profile.subject } : {},
            include: { memberships: { include: { team: { select: { slug: true } } } } },
          });
    if (person.disabled) {
      await deny("the account is disabled in the portal", person.id);
      return { ok: false, reason: "disabled", message: "This account is disabled: ask a platform admin." } as const;
    }
    const applied: Record<string, unknown> = { groups, mappingFrom: source };
    if (grants.kind === "grants") {
      const current = {
        role: roleFromDbValue(person.role),
        roleSource: person.roleSource,
        memberships: person.memberships.map((m) => ({ teamId: m.teamId, teamSlug: m.team.slug, source: m.source })),
      };
      const changes = grantChanges(current, grants, env.OIDC_DEFAULT_ROLE);
      if (changes.role)
        await tx.user.update({
          where: { id: person.id },
          data: {
            role: roleToDb(changes.role.role),
            roleSource: changes.role.source,
            roleSsoGroup: changes.role.group,
          },
        });
      if (changes.removeTeamIds.length)
        await tx.membership.deleteMany({
          where: { userId: person.id, source: "sso", teamId: { in: changes.removeTeamIds } },
        });
      const teams = changes.addTeams.length
        ? await tx.team.findMany({
            where: { slug: { in: changes.addTeams.map((t) => t.team) } },
            select: { id: true, slug: true },
          })
        : [];
      const unknownTeams = changes.addTeams
        .filter((t) => !teams.some((team) => team.slug === t.team))
        .map((t) => t.team);
      if (unknownTeams.length)
        logger.warn(
          { teams: unknownTeams },
          "single sign-on group mapping names teams that do not exist: create them under People and teams",
        );
      for (const team of teams) {
        const group = changes.addTeams.find((t) => t.team === team.slug)!.group;
        await tx.membership.create({ data: { userId: person.id, teamId: team.id, source: "sso", ssoGroup: group } });
      }
      Object.assign(applied, {
        role: changes.role ? changes.role.role : current.role,
        roleFrom: changes.role ? (changes.role.group ?? "default role") : current.roleSource,
        teamsAdded: teams.map((t) => t.slug),
        teamsRemoved: current.memberships
          .filter((m) => changes.removeTeamIds.includes(m.teamId))
          .map((m) => m.teamSlug),
        ...(unknownTeams.length ? { unknownTeams } : {}),
      });
    }
    await tx.user.update({ where: { id: person.id }, data: { ssoGroups: groups, lastSignInAt: now } });
    await recordAudit(tx, {
      actor: { id: person.id, email: person.email },
      action: "auth.sign-in",
      targetType: "user",
      targetId: person.id,
      outcome: "success",
      details: {
        provider: "oidc",
        linked: decision.action === "link",
        created: decision.action === "create",
        ...applied,
      },
    });
    return { ok: true, userId: person.id } as const;
  });
}

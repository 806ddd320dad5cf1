import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma } from "@/lib/db/prisma.server";
import { unprocessable } from "@/lib/errors/domain-error";
import type { PortalUser } from "./permissions";
import { writeSetting } from "@/lib/settings/setting-store.server";
import { readSsoGroupMapping, ssoGroupMappingSetting, type SsoEnv } from "./sso-sign-in.server";
import { SSO_GROUP_MAPPING_KEY, type SsoGroupMapping } from "./sso-groups";

/**
 * Saves the admin's group mapping (it replaces the OIDC_GROUP_* defaults from then on). Every team it names must
 * exist, so a typo is caught here rather than silently granting nothing at sign-in. Audited with before and after.
 */
export async function updateSsoGroupMapping(o: {
  actor: PortalUser;
  mapping: SsoGroupMapping;
  env: SsoEnv;
  traceId?: string;
}): Promise<SsoGroupMapping> {
  return getPrisma().$transaction(async (tx) => {
    const slugs = [...new Set(o.mapping.teams.map((t) => t.team))];
    const known = new Set(
      (await tx.team.findMany({ where: { slug: { in: slugs } }, select: { slug: true } })).map((t) => t.slug),
    );
    const missing = o.mapping.teams.map((t, i) => ({ ...t, i })).filter((t) => !known.has(t.team));
    if (missing.length) {
      throw unprocessable(
        `teams: ${missing.map((m) => m.team).join(", ")} ${missing.length === 1 ? "is not a team" : "are not teams"}: create ${missing.length === 1 ? "it" : "them"} under People and teams first, or fix the slug`,
        missing.map((m) => ({ path: `teams.${m.i}.team`, message: `no team ${m.team}` })),
      );
    }
    const before = await readSsoGroupMapping(o.env, tx);
    await writeSetting(tx, ssoGroupMappingSetting, o.mapping, { updatedById: o.actor.id });
    await recordAudit(tx, {
      actor: { id: o.actor.id, email: o.actor.email },
      action: "settings.sso-group-mapping.update",
      targetType: "setting",
      targetId: SSO_GROUP_MAPPING_KEY,
      outcome: "success",
      traceId: o.traceId,
      details: { from: before.mapping, fromSource: before.source, to: o.mapping },
    });
    return o.mapping;
  });
}

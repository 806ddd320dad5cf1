// Single sign-on's account side against a real PostgreSQL: the groups claim decides role and SSO memberships at every
// sign-in, manual grants survive it, removal from every mapped group refuses and ends sessions, and each outcome is
// audited. (The browser flow through a real OpenID Provider is e2e/admin/single-sign-on.spec.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { readSsoGroupMapping, ssoSignIn, type SsoEnv } from "./sso-sign-in.server";
import { SSO_GROUP_MAPPING_KEY } from "./sso-groups";
import { callerForToken } from "./api-token.server";
import { createApiToken } from "./create-api-token.server";
import { updateSsoGroupMapping } from "./sso-group-mapping-setting.server";

const env: SsoEnv = {
  OIDC_DEFAULT_ROLE: "ml-engineer",
  OIDC_GROUPS_CLAIM: "groups",
  OIDC_GROUP_ROLES: [{ group: "ml-admins", value: "platform-admin" }],
  OIDC_GROUP_TEAMS: [
    { group: "nlp-eng", value: "nlp" },
    { group: "vision-eng", value: "vision" },
  ],
};
const now = new Date("2026-12-07T10:00:00Z");

function profile(subject: string, groups: unknown, extra: Record<string, unknown> = {}) {
  const email = `${subject}@idp.test`;
  return { subject, email, name: subject, claims: { sub: subject, email, email_verified: true, groups, ...extra } };
}

async function person(email: string) {
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { email },
    include: { memberships: { include: { team: true } } },
  });
  return { ...user, teams: user.memberships.map((m) => `${m.team.slug}:${m.source}`).sort() };
}

describe("single sign-on applies the identity provider's groups at every sign-in", () => {
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ drop } = await createMigratedDatabase());
    await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now });
  });
  afterAll(async () => {
    await disconnectPrisma();
    await drop();
  });
  beforeEach(async () => {
    await getPrisma().setting.deleteMany({ where: { key: SSO_GROUP_MAPPING_KEY } });
  });

  it("creates the person with the role and teams their groups give, and follows a group change at the next sign-in", async () => {
    expect(await ssoSignIn(profile("ann", ["nlp-eng"]), env, now)).toMatchObject({ ok: true });
    let ann = await person("ann@idp.test");
    expect([ann.role, ann.roleSource, ann.roleSsoGroup, ann.teams]).toEqual(["ml_engineer", "sso", null, ["nlp:sso"]]);
    expect(ann.ssoGroups).toEqual(["nlp-eng"]);

    // An admin adds her to recsys by hand: SSO never takes that away.
    const recsys = await getPrisma().team.findUniqueOrThrow({ where: { slug: "recsys" } });
    await getPrisma().membership.create({ data: { userId: ann.id, teamId: recsys.id, source: "manual" } });

    expect(await ssoSignIn(profile("ann", ["vision-eng", "ml-admins"]), env, now)).toMatchObject({ ok: true });
    ann = await person("ann@idp.test");
    expect([ann.role, ann.roleSource, ann.roleSsoGroup, ann.teams]).toEqual([
      "platform_admin",
      "sso",
      "ml-admins",
      ["recsys:manual", "vision:sso"],
    ]);

    // The admin group is gone: back to the default role.
    expect(await ssoSignIn(profile("ann", ["vision-eng"]), env, now)).toMatchObject({ ok: true });
    ann = await person("ann@idp.test");
    expect([ann.role, ann.roleSource]).toEqual(["ml_engineer", "sso"]);

    const audits = await getPrisma().auditEvent.findMany({
      where: { action: "auth.sign-in", actorEmail: "ann@idp.test" },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.details)).toEqual([
      expect.objectContaining({ created: true, groups: ["nlp-eng"], teamsAdded: ["nlp"], mappingFrom: "environment" }),
      expect.objectContaining({
        role: "platform-admin",
        roleFrom: "ml-admins",
        teamsAdded: ["vision"],
        teamsRemoved: ["nlp"],
      }),
      expect.objectContaining({ role: "ml-engineer", roleFrom: "default role" }),
    ]);
  });

  it("refuses a person removed from every mapped group, ends their sessions and drops their SSO teams only", async () => {
    await ssoSignIn(profile("ben", ["nlp-eng"]), env, now);
    const before = await person("ben@idp.test");
    const recsys = await getPrisma().team.findUniqueOrThrow({ where: { slug: "recsys" } });
    await getPrisma().membership.create({ data: { userId: before.id, teamId: recsys.id, source: "manual" } });

    const refused = await ssoSignIn(profile("ben", ["marketing"]), env, now);
    expect(refused).toMatchObject({ ok: false, reason: "no-access" });
    const after = await person("ben@idp.test");
    expect(after.sessionVersion).toBe(before.sessionVersion + 1);
    expect(after.teams).toEqual(["recsys:manual"]);
    const denied = await getPrisma().auditEvent.findFirstOrThrow({
      where: { action: "auth.sign-in", outcome: "denied", targetId: before.id },
    });
    expect(denied.details).toMatchObject({ groups: ["marketing"] });
  });

  it("reads the claim and mapping an admin saved instead of the environment's", async () => {
    await getPrisma().setting.create({
      data: {
        key: SSO_GROUP_MAPPING_KEY,
        value: { claim: "roles", roles: [{ group: "finops", role: "finance" }], teams: [] },
      },
    });
    expect((await readSsoGroupMapping(env)).source).toBe("settings");
    // The environment's claim no longer counts: `groups` is ignored, `roles` decides.
    expect(await ssoSignIn(profile("cat", ["nlp-eng"]), env, now)).toMatchObject({ ok: false, reason: "no-access" });
    expect(await getPrisma().user.findUnique({ where: { email: "cat@idp.test" } })).toBeNull();
    expect(await ssoSignIn(profile("cat", [], { roles: ["finops"] }), env, now)).toMatchObject({ ok: true });
    expect((await person("cat@idp.test")).role).toBe("finance");
  });

  it("saves an admin's mapping in place of the environment's, audited with what it replaced", async () => {
    const admin = await getPrisma().user.findUniqueOrThrow({ where: { email: "admin@demo.local" } });
    const actor = { id: admin.id, email: admin.email, name: admin.name, role: "platform-admin" as const, teamIds: [] };
    const mapping = { claim: "roles", roles: [{ group: "finops", role: "finance" as const }], teams: [] };
    await updateSsoGroupMapping({ actor, mapping, env, traceId: "trace-sso" });
    expect(await readSsoGroupMapping(env)).toEqual({ mapping, source: "settings" });
    const row = await getPrisma().setting.findUniqueOrThrow({ where: { key: SSO_GROUP_MAPPING_KEY } });
    expect(row.updatedById).toBe(admin.id);
    const audit = await getPrisma().auditEvent.findFirstOrThrow({
      where: { action: "settings.sso-group-mapping.update", traceId: "trace-sso" },
    });
    expect(audit.details).toMatchObject({ fromSource: "environment", from: { claim: "groups" }, to: mapping });
    // A mapping naming a team that does not exist is refused, and the saved one stays.
    await expect(
      updateSsoGroupMapping({ actor, mapping: { ...mapping, teams: [{ group: "x", team: "no-such-team" }] }, env }),
    ).rejects.toThrow(/no-such-team is not a team/);
    expect((await readSsoGroupMapping(env)).mapping).toEqual(mapping);
  });

  it("with no group mapped, signs people in as before: default role on creation, nothing else touched", async () => {
    const unmapped: SsoEnv = { ...env, OIDC_GROUP_ROLES: [], OIDC_GROUP_TEAMS: [] };
    expect(await ssoSignIn(profile("dan", ["whatever"]), unmapped, now)).toMatchObject({ ok: true });
    const dan = await person("dan@idp.test");
    expect([dan.role, dan.roleSource, dan.teams]).toEqual(["ml_engineer", "manual", []]);
  });

  it("links an existing account only when the provider verified the email, and refuses a disabled account", async () => {
    const unverified = profile("erin-idp", ["nlp-eng"], { email: "engineer@demo.local", email_verified: false });
    expect(await ssoSignIn({ ...unverified, email: "engineer@demo.local" }, env, now)).toMatchObject({
      ok: false,
      reason: "refused",
    });
    expect((await person("engineer@demo.local")).oidcSubject).toBeNull();

    const verified = profile("erin-idp", ["nlp-eng"], { email: "engineer@demo.local" });
    expect(await ssoSignIn({ ...verified, email: "engineer@demo.local" }, env, now)).toMatchObject({ ok: true });
    const erin = await person("engineer@demo.local");
    expect(erin.oidcSubject).toBe("erin-idp");
    // Her seeded (manual) nlp membership stays manual; no duplicate SSO one is made.
    expect(erin.teams).toEqual(["nlp:manual"]);

    await getPrisma().user.update({ where: { id: erin.id }, data: { disabled: true } });
    expect(await ssoSignIn({ ...verified, email: "engineer@demo.local" }, env, now)).toMatchObject({
      ok: false,
      reason: "disabled",
    });
  });

  it("links by email when userinfo, read for the groups, verified it for the same subject, or OIDC_TRUST_EMAIL is on", async () => {
    const noClaim = (subject: string, email: string) => ({
      subject,
      email,
      name: subject,
      claims: { sub: subject, email },
    });
    const userinfo = (sub: string, email: string) => async () => ({
      sub,
      email,
      email_verified: true,
      groups: ["nlp-eng"],
    });

    const otherSubject = {
      ...noClaim("sre-idp", "sre@demo.local"),
      userinfo: userinfo("someone-else", "sre@demo.local"),
    };
    expect(await ssoSignIn(otherSubject, env, now)).toMatchObject({ ok: false, reason: "refused" });
    const sameSubject = { ...noClaim("sre-idp", "sre@demo.local"), userinfo: userinfo("sre-idp", "sre@demo.local") };
    expect(await ssoSignIn(sameSubject, env, now)).toMatchObject({ ok: true });
    expect((await person("sre@demo.local")).oidcSubject).toBe("sre-idp");

    const entra = {
      ...noClaim("fin-idp", "finance@demo.local"),
      claims: { ...noClaim("fin-idp", "finance@demo.local").claims, groups: ["nlp-eng"] },
    };
    expect(await ssoSignIn(entra, env, now)).toMatchObject({ ok: false, reason: "refused" });
    expect(await ssoSignIn(entra, { ...env, OIDC_TRUST_EMAIL: true }, now)).toMatchObject({ ok: true });
    expect((await person("finance@demo.local")).oidcSubject).toBe("fin-idp");
  });
});

describe("a single sign-on user's personal API tokens follow the identity provider", () => {
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ drop } = await createMigratedDatabase());
    await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now });
  });
  afterAll(async () => {
    await disconnectPrisma();
    await drop();
  });

  const call = { traceId: "t", method: "POST", route: "/api/v1/clusters" };
  async function adminToken(subject: string) {
    expect(await ssoSignIn(profile(subject, ["ml-admins", "nlp-eng"]), env, now)).toMatchObject({ ok: true });
    const row = await person(`${subject}@idp.test`);
    const owner = { id: row.id, email: row.email, name: row.name, role: "platform-admin" as const, teamIds: [] };
    const created = await createApiToken({
      actor: owner,
      input: { name: "ci", scopes: ["clusters:manage", "requests:read"], expiresInDays: 365 },
      traceId: "t0",
      now,
    });
    expect(await callerForToken(created.secret, "cluster.manage", call, now)).toMatchObject({ role: "platform-admin" });
    return { ...created, userId: row.id };
  }
  const later = (days: number) => new Date(now.getTime() + days * 86_400_000);

  it("are revoked, audited, when the person is removed from every mapped group", async () => {
    const { secret, token } = await adminToken("eve");
    expect(await ssoSignIn(profile("eve", ["marketing"]), env, later(1))).toMatchObject({ reason: "no-access" });
    await expect(callerForToken(secret, "cluster.manage", call, later(1))).rejects.toMatchObject({
      code: "unauthenticated",
    });
    const revoked = await getPrisma().auditEvent.findFirstOrThrow({
      where: { action: "api-token.revoke", targetId: token.id },
    });
    expect(revoked.details).toMatchObject({ reason: "owner removed from every mapped group" });
  });

  it("act with the role the last sign-in gave: a demotion at the provider applies to them", async () => {
    const { secret } = await adminToken("fay");
    expect(await ssoSignIn(profile("fay", ["nlp-eng"]), env, later(1))).toMatchObject({ ok: true });
    expect(await callerForToken(secret, "cluster.manage", call, later(1))).toMatchObject({ role: "ml-engineer" });
  });

  it("stop 30 days (OIDC_TOKEN_MAX_DAYS_SINCE_SIGN_IN) after the owner's last single sign-on", async () => {
    const { secret } = await adminToken("gus");
    expect(await callerForToken(secret, "request.read", call, later(29))).toMatchObject({ email: "gus@idp.test" });
    await expect(callerForToken(secret, "request.read", call, later(31))).rejects.toMatchObject({
      code: "unauthenticated",
    });
    const denied = await getPrisma().auditEvent.findFirstOrThrow({
      where: { action: "api-token.use", outcome: "denied" },
      orderBy: { at: "desc" },
    });
    expect(denied.details).toMatchObject({ reason: "owner's last single sign-on is too old" });
    expect(await ssoSignIn(profile("gus", ["ml-admins"]), env, later(31))).toMatchObject({ ok: true });
    expect(await callerForToken(secret, "request.read", call, later(32))).toMatchObject({ email: "gus@idp.test" });
  });
});

// People and teams through the real route handlers and PostgreSQL: disabling someone stops their session and API
// tokens on the very next call, teams are created and edited with field-named refusals and nothing half-written,
// SSO memberships cannot be removed by hand, and every change leaves an audit event.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { apiRoutes, callRoute, type CallOptions } from "@/test-support/api-routes";
import type { PortalUser } from "@/lib/auth/permissions";
import { userForSession } from "@/lib/auth/session-user.server";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

let world: RequestWorld;
let admin: PortalUser;
let engineer: PortalUser;
const routes = await apiRoutes();

async function call(key: string, options: CallOptions = {}, as: PortalUser | null = admin) {
  session.user = as;
  const response = await callRoute(
    routes.find((r) => r.key === key)!,
    options,
  );
  session.user = null;
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      error?: { message: string; fields?: { path: string; message: string }[] };
    },
  };
}

beforeAll(async () => {
  world = await startRequestWorld();
  admin = await world.user("admin@demo.local");
  engineer = await world.user("engineer@demo.local");
}, 60_000);
afterAll(async () => world?.close());

describe("disabling a person", () => {
  it("ends their session and stops their API tokens at once; enabling needs a new sign-in", async () => {
    session.user = engineer;
    const token = await callRoute(
      routes.find((r) => r.key === "POST /api/v1/tokens")!,
      { json: { name: "nightly ci", scopes: ["requests:read"], expiresInDays: 30 } },
    );
    const created = (await token.json()) as { secret: string };
    expect(token.status, JSON.stringify(created)).toBe(201);
    const { secret } = created;
    session.user = null;
    const bearer = { headers: { authorization: `Bearer ${secret}` } };
    expect((await call("GET /api/v1/requests", bearer, null)).status).toBe(200);
    const row = await getPrisma().user.findUniqueOrThrow({ where: { id: engineer.id } });
    const claims = { userId: engineer.id, signedInAt: Date.now(), sessionVersion: row.sessionVersion };
    expect(await userForSession(claims, new Date())).not.toBeNull();

    const disabled = await call("PATCH /api/v1/people/[id]", { params: { id: engineer.id }, json: { disabled: true } });
    expect(disabled.status, JSON.stringify(disabled.body)).toBe(200);
    expect(await userForSession(claims, new Date())).toBeNull();
    expect((await call("GET /api/v1/requests", bearer, null)).status).toBe(401);

    expect(
      (await call("PATCH /api/v1/people/[id]", { params: { id: engineer.id }, json: { disabled: false } })).status,
    ).toBe(200);
    // The old session stays ended (its version was raised); the token works again, as its owner is back.
    expect(await userForSession(claims, new Date())).toBeNull();
    expect((await call("GET /api/v1/requests", bearer, null)).status).toBe(200);
    const audits = await getPrisma().auditEvent.findMany({
      where: { targetId: engineer.id, action: { in: ["user.disable", "user.enable"] } },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => [a.action, a.actorEmail])).toEqual([
      ["user.disable", "admin@demo.local"],
      ["user.enable", "admin@demo.local"],
    ]);
  });

  it("refuses an admin disabling themselves, naming the field, and changes nothing", async () => {
    const refused = await call("PATCH /api/v1/people/[id]", { params: { id: admin.id }, json: { disabled: true } });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.fields).toEqual([{ path: "disabled", message: "not allowed on your own account" }]);
    expect((await getPrisma().user.findUniqueOrThrow({ where: { id: admin.id } })).disabled).toBe(false);
  });

  it("sets a role by hand as manual, and lists where each role and team came from", async () => {
    const sre = await world.user("sre@demo.local");
    await getPrisma().user.update({ where: { id: sre.id }, data: { roleSource: "sso", roleSsoGroup: "ml-sre" } });
    expect(
      (await call("PATCH /api/v1/people/[id]", { params: { id: sre.id }, json: { role: "finance" } })).status,
    ).toBe(200);
    const people = (await call("GET /api/v1/people")).body.items as {
      email: string;
      role: string;
      roleSource: string;
      teams: { slug: string; source: string }[];
    }[];
    expect(people.find((p) => p.email === "sre@demo.local")).toMatchObject({ role: "finance", roleSource: "manual" });
    expect(people.find((p) => p.email === "admin@demo.local")?.teams.map((t) => `${t.slug}:${t.source}`)).toEqual([
      "nlp:manual",
      "recsys:manual",
      "vision:manual",
    ]);
    expect(
      (await call("PATCH /api/v1/people/[id]", { params: { id: sre.id }, json: { role: "root" } })).body.error
        ?.fields?.[0]!.path,
    ).toBe("role");
  });
});

describe("teams", () => {
  it("are created and edited with cost label values and a budget, audited with before and after", async () => {
    const created = await call("POST /api/v1/teams", {
      json: { slug: "speech", name: "Speech", costLabelValues: ["asr", "speech"], monthlyBudgetUsd: 25000 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      slug: "speech",
      costLabelValues: ["asr"],
      monthlyBudgetUsd: 25000,
      members: 0,
    });
    const id = created.body.id as string;
    const edited = await call("PATCH /api/v1/teams/[id]", {
      params: { id },
      json: { costLabelValues: ["asr", "tts"], monthlyBudgetUsd: null },
    });
    expect(edited.body).toMatchObject({ costLabelValues: ["asr", "tts"], monthlyBudgetUsd: null });
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { action: "team.update", targetId: id } });
    expect(audit.details).toMatchObject({
      from: { costLabelValues: ["asr"], monthlyBudgetUsd: 25000 },
      to: { costLabelValues: ["asr", "tts"], monthlyBudgetUsd: null },
    });
  });

  it("a budget set here is compared with real data: the demo seed's mark is cleared, a rename keeps it", async () => {
    const nlp = await getPrisma().team.update({ where: { slug: "nlp" }, data: { budgetIsDemo: true } });
    await call("PATCH /api/v1/teams/[id]", { params: { id: nlp.id }, json: { name: "NLP" } });
    expect((await getPrisma().team.findUniqueOrThrow({ where: { id: nlp.id } })).budgetIsDemo).toBe(true);
    const edited = await call("PATCH /api/v1/teams/[id]", {
      params: { id: nlp.id },
      json: { monthlyBudgetUsd: 40000 },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(await getPrisma().team.findUniqueOrThrow({ where: { id: nlp.id } })).toMatchObject({ budgetIsDemo: false });
  });

  it.each([
    [{ slug: "nlp", name: "Dup" }, "slug", /already exists/],
    [{ slug: "Bad Slug", name: "x" }, "slug", /lower-case/],
    [{ slug: "ok-team", name: "x", costLabelValues: ["nlp"] }, "costLabelValues.0", /already team nlp's/],
    [{ slug: "ok-team", name: "x", costLabelValues: ["fine", "asr"] }, "costLabelValues.1", /already team speech's/],
    [{ slug: "ok-team", name: "x", monthlyBudgetUsd: -1 }, "monthlyBudgetUsd", /0 or more/],
  ])("refuse %j naming %s, writing nothing", async (json, path, message) => {
    const before = await getPrisma().team.count();
    const refused = await call("POST /api/v1/teams", { json });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.fields?.find((f) => f.path === path)?.message).toMatch(message);
    expect(await getPrisma().team.count()).toBe(before);
  });

  it("add people by hand; an SSO membership cannot be removed by hand (the group decides it)", async () => {
    const team = await getPrisma().team.findUniqueOrThrow({ where: { slug: "speech" } });
    expect(
      (await call("PUT /api/v1/teams/[id]/members/[userId]", { params: { id: team.id, userId: engineer.id } })).status,
    ).toBe(200);
    expect(
      (await call("DELETE /api/v1/teams/[id]/members/[userId]", { params: { id: team.id, userId: engineer.id } }))
        .status,
    ).toBe(200);
    const vision = await world.user("vision-engineer@demo.local");
    await getPrisma().membership.create({
      data: { userId: vision.id, teamId: team.id, source: "sso", ssoGroup: "speech-eng" },
    });
    const refused = await call("DELETE /api/v1/teams/[id]/members/[userId]", {
      params: { id: team.id, userId: vision.id },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toContain("speech-eng");
    expect(await getPrisma().membership.count({ where: { teamId: team.id, userId: vision.id } })).toBe(1);
  });
});

// API tokens end to end through the real route handlers and PostgreSQL: created over a (stubbed) session, shown once,
// then used with `Authorization: Bearer` and no session at all. Every refusal (unknown, malformed, expired, revoked,
// owner disabled, wrong scope) carries the same message; a personal token never exceeds its owner's role at call time;
// a service token sees only its team. Only the session is stubbed (getCurrentUser), for the calls that create tokens.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { apiRoutes, callRoute, type ApiRoute, type CallOptions } from "@/test-support/api-routes";
import type { PortalUser } from "./permissions";
import { TOKEN_REFUSED } from "./api-token";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

let world: RequestWorld;
let engineer: PortalUser;
let admin: PortalUser;
let visionRequestId: string;
let nlpRequestId: string;
const routes = await apiRoutes();
const r = (key: string): ApiRoute => routes.find((x) => x.key === key)!;

async function call(key: string, options: CallOptions = {}) {
  const response = await callRoute(r(key), options);
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get("www-authenticate"),
    body: (await response.json()) as Record<string, unknown> & { error?: { message: string } },
  };
}

/** Creates a token as `who` over a session and returns the create response's body. */
async function createToken(who: PortalUser, json: Record<string, unknown>) {
  session.user = who;
  const created = await call("POST /api/v1/tokens", { json });
  session.user = null;
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { secret: string; token: { id: string; prefix: string; scopes: string[] } };
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function requestRow(teamId: string, requesterId: string, title: string) {
  return getPrisma().request.create({
    data: {
      kind: "node_pool",
      title,
      teamId,
      requesterId,
      clusterTargetId: world.sandboxId,
      status: "pending_approval",
      input: {},
      plan: {
        deployment_manifests: [],
        infrastructure_config: {},
        cost_estimate: {},
        security_report: {},
        runbooks: [],
        validation: {},
      },
      planHash: title,
      monthlyCostUsd: 0,
      securityScore: 100,
      criticalFindings: 0,
    },
  });
}

beforeAll(async () => {
  world = await startRequestWorld();
  engineer = await world.user("engineer@demo.local");
  admin = await world.user("admin@demo.local");
  const vision = await world.user("vision-engineer@demo.local");
  visionRequestId = (await requestRow(vision.teamIds[0]!, vision.id, "Vision's pool")).id;
  nlpRequestId = (await requestRow(engineer.teamIds[0]!, engineer.id, "NLP's pool")).id;
}, 60_000);
afterAll(async () => world?.close());

describe("a personal token", () => {
  it("is shown once, stored only as a hash, and used with Bearer: last use recorded and audited", async () => {
    const { secret, token } = await createToken(engineer, {
      name: "ci pipeline",
      scopes: ["requests:read", "requests:write"],
      expiresInDays: 30,
    });
    expect(secret).toMatch(/^mlp_[A-Za-z0-9_-]{43}$/);
    const row = await getPrisma().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(JSON.stringify(row)).not.toContain(secret.slice(4));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(29 * 86_400_000);
    expect(row.lastUsedAt).toBeNull();

    session.user = engineer;
    const listed = await call("GET /api/v1/tokens");
    session.user = null;
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect((listed.body.items as { id: string; prefix: string }[]).find((t) => t.id === token.id)?.prefix).toBe(
      secret.slice(0, 10),
    );

    const read = await call("GET /api/v1/requests/[id]", { params: { id: nlpRequestId }, headers: bearer(secret) });
    expect(read.status).toBe(200);
    expect((await getPrisma().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).not.toBeNull();
    const uses = await getPrisma().auditEvent.findMany({ where: { action: "api-token.use", targetId: token.id } });
    expect(uses).toEqual([expect.objectContaining({ outcome: "success", actorId: engineer.id })]);
    expect(uses[0]!.details).toMatchObject({ method: "GET", action: "request.read" });
  });

  it("submits a request with a Bearer POST without Origin, and the JSON content-type rule still applies", async () => {
    const { secret } = await createToken(engineer, { name: "submitter", scopes: ["requests:write"], expiresInDays: 1 });
    const body = {
      kind: "node_pool",
      title: "From CI",
      teamId: engineer.teamIds[0],
      clusterTargetId: world.sandboxId,
      input: {},
    };
    const created = await call("POST /api/v1/requests", { json: body, headers: bearer(secret) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(
      (await getPrisma().request.findUniqueOrThrow({ where: { id: created.body.id as string } })).requesterId,
    ).toBe(engineer.id);
    const plain = await callRoute(r("POST /api/v1/requests"), {
      raw: JSON.stringify(body),
      headers: { ...bearer(secret), "content-type": "text/plain" },
    });
    expect(plain.status).toBe(415);
  });

  it("never does more than its owner's role allows at call time", async () => {
    const { secret } = await createToken(engineer, {
      name: "too wide",
      scopes: ["requests:approve", "audit:read"],
      expiresInDays: 5,
    });
    const audit = await call("GET /api/v1/audit", { headers: bearer(secret) });
    expect(audit.status).toBe(403);
    expect(audit.body.error?.message).not.toBe(TOKEN_REFUSED); // the scope let it through; the role refused it
  });

  it("stops at once when its owner is disabled, and works again when re-enabled", async () => {
    const { secret } = await createToken(engineer, {
      name: "disabled owner",
      scopes: ["requests:read"],
      expiresInDays: 5,
    });
    await getPrisma().user.update({ where: { id: engineer.id }, data: { disabled: true } });
    try {
      const refused = await call("GET /api/v1/requests", { headers: bearer(secret) });
      expect(refused).toMatchObject({ status: 401, body: { error: { message: TOKEN_REFUSED } } });
    } finally {
      await getPrisma().user.update({ where: { id: engineer.id }, data: { disabled: false } });
    }
    expect((await call("GET /api/v1/requests", { headers: bearer(secret) })).status).toBe(200);
  });

  it("cannot be used to create more tokens", async () => {
    const { secret } = await createToken(engineer, {
      name: "all scopes",
      scopes: ["requests:read", "requests:write"],
      expiresInDays: 5,
    });
    const minted = await call("POST /api/v1/tokens", {
      json: { name: "child", scopes: ["requests:read"], expiresInDays: 1 },
      headers: bearer(secret),
    });
    expect(minted).toMatchObject({ status: 403, body: { error: { message: TOKEN_REFUSED } } });
  });
});

describe("refused tokens all get the same message", () => {
  it("unknown, malformed, expired, revoked and wrongly scoped tokens: 401/403 with one message", async () => {
    const { secret: expired, token: expiredToken } = await createToken(engineer, {
      name: "expired",
      scopes: ["requests:read"],
      expiresInDays: 1,
    });
    await getPrisma().apiToken.update({
      where: { id: expiredToken.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const { secret: revoked, token: revokedToken } = await createToken(engineer, {
      name: "revoked",
      scopes: ["requests:read"],
      expiresInDays: 1,
    });
    expect((await call("GET /api/v1/requests", { headers: bearer(revoked) })).status).toBe(200);
    session.user = engineer;
    expect((await call("DELETE /api/v1/tokens/[id]", { params: { id: revokedToken.id } })).status).toBe(200);
    session.user = null;
    const { secret: costsOnly } = await createToken(engineer, {
      name: "costs only",
      scopes: ["costs:read"],
      expiresInDays: 1,
    });

    const cases: [string, string, number][] = [
      ["unknown", `mlp_${"A".repeat(43)}`, 401],
      ["malformed", "not-a-token", 401],
      ["expired", expired, 401],
      ["revoked", revoked, 401],
      ["wrong scope", costsOnly, 403],
    ];
    for (const [what, secret, status] of cases) {
      const response = await call("GET /api/v1/requests", { headers: bearer(secret) });
      expect(response.status, what).toBe(status);
      expect(response.body.error?.message, what).toBe(TOKEN_REFUSED);
      // RFC 6750: the scheme on every 401, with the same error whatever the reason.
      expect(response.wwwAuthenticate, what).toBe(status === 401 ? 'Bearer error="invalid_token"' : null);
    }
    expect((await call("GET /api/v1/costs/summary", { headers: bearer(costsOnly) })).status).toBe(200);
    const denied = await getPrisma().auditEvent.findMany({
      where: { action: "api-token.use", outcome: "denied", targetId: { in: [expiredToken.id, revokedToken.id] } },
    });
    expect(denied.map((d) => (d.details as { reason: string }).reason).sort()).toEqual(["expired", "revoked"]);
  });

  it("a session cookie still gets the cross-site refusal, and bad create input names the field", async () => {
    session.user = engineer;
    const crossSite = await call("POST /api/v1/tokens", {
      json: { name: "x-site", scopes: ["requests:read"], expiresInDays: 1 },
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    const tooLong = await call("POST /api/v1/tokens", {
      json: { name: "forever", scopes: ["requests:read"], expiresInDays: 400 },
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error?.message).toContain("expiresInDays");
    const noExpiry = await call("POST /api/v1/tokens", { json: { name: "forever", scopes: ["requests:read"] } });
    expect(noExpiry.status).toBe(422);
    expect(noExpiry.body.error?.message).toContain("expiresInDays");
    const badScope = await call("POST /api/v1/tokens", {
      json: { name: "bad scope", scopes: ["settings:manage"], expiresInDays: 1 },
    });
    expect(badScope.status).toBe(422);
    expect(badScope.body.error?.message).toContain("scopes");
    session.user = null;
  });
});

describe("revoking", () => {
  it("someone else's token is a 404 for a non-admin; an admin revokes any", async () => {
    const { token } = await createToken(engineer, { name: "to revoke", scopes: ["requests:read"], expiresInDays: 1 });
    session.user = await world.user("vision-engineer@demo.local");
    expect((await call("DELETE /api/v1/tokens/[id]", { params: { id: token.id } })).status).toBe(404);
    session.user = admin;
    expect((await call("DELETE /api/v1/tokens/[id]", { params: { id: token.id } })).status).toBe(200);
    session.user = null;
    expect((await getPrisma().apiToken.findUniqueOrThrow({ where: { id: token.id } })).revokedAt).not.toBeNull();
  });
});

describe("a service token", () => {
  it("is created only by a platform admin", async () => {
    session.user = engineer;
    const refused = await call("POST /api/v1/tokens", {
      json: { name: "team bot", scopes: ["requests:read"], expiresInDays: 1, teamId: engineer.teamIds[0] },
    });
    session.user = null;
    expect(refused.status).toBe(403);
    expect(await getPrisma().apiToken.count({ where: { name: "team bot" } })).toBe(0);
  });

  it("acts for its team only: another team's request is a 404, as an unknown id", async () => {
    const { secret, token } = await createToken(admin, {
      name: "nlp bot",
      scopes: ["requests:read"],
      expiresInDays: 10,
      teamId: engineer.teamIds[0],
    });
    expect((await getPrisma().apiToken.findUniqueOrThrow({ where: { id: token.id } })).kind).toBe("service");
    expect(
      (await call("GET /api/v1/requests/[id]", { params: { id: nlpRequestId }, headers: bearer(secret) })).status,
    ).toBe(200);
    expect(
      (await call("GET /api/v1/requests/[id]", { params: { id: visionRequestId }, headers: bearer(secret) })).status,
    ).toBe(404);
    const listed = await call("GET /api/v1/requests", { headers: bearer(secret) });
    expect((listed.body.items as { id: string }[]).map((i) => i.id)).not.toContain(visionRequestId);
  });
});

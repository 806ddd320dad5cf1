// route() on the real handlers and a real PostgreSQL: cross-site state changes and non-JSON bodies are refused
// (issue 12, hole 3), text PostgreSQL cannot store and URL integers beyond int4 are a 422 naming the field, never a
// 500 (hole 8), an unreachable database is a 503 with Retry-After (hole 15), and another team's request is the same
// 404 as an unknown id (hole 18). Only the session is stubbed.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { callRoute, type HttpMethod } from "@/test-support/api-routes";
import * as requests from "@/app/api/v1/requests/route";
import * as requestById from "@/app/api/v1/requests/[id]/route";
import * as timeline from "@/app/api/v1/requests/[id]/timeline/route";
import * as drift from "@/app/api/v1/requests/[id]/drift/route";
import * as dryRun from "@/app/api/v1/requests/[id]/dry-run/route";
import * as revert from "@/app/api/v1/requests/[id]/revert/route";
import * as planById from "@/app/api/v1/dr-plans/[key]/route";
import * as copyPlan from "@/app/api/v1/dr-plans/[key]/copy/route";
import * as drills from "@/app/api/v1/drills/route";
import { seedDrTemplates } from "@/lib/dr/seed-dr-templates.server";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

let world: RequestWorld;
let engineer: PortalUser;
let visionEngineer: PortalUser;
let nlpRequestId: string;
let planKey: string;

const at = (pattern: string, method: HttpMethod, mod: Record<string, unknown>) => ({
  pattern,
  method,
  load: async () => mod[method] as never,
});
const submit = at("/api/v1/requests", "POST", requests);
const list = at("/api/v1/requests", "GET", requests);

function submission(title = "Llama serving") {
  return {
    kind: "inference_scaling",
    title,
    teamId: engineer.teamIds[0],
    clusterTargetId: world.sandboxId,
    input: { scale_requirements: { min_replicas: 1, max_replicas: 4 } },
  };
}
const requestCount = () => getPrisma().request.count();
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; fields?: { path: string }[] } }).error;

beforeAll(async () => {
  world = await startRequestWorld();
  engineer = await world.user("engineer@demo.local");
  visionEngineer = await world.user("vision-engineer@demo.local");
  session.user = engineer;
  planKey = (await seedDrTemplates(getPrisma()))[0]!;
  const created = await callRoute(submit, { json: submission("NLP team's request") });
  expect(created.status).toBe(201);
  nlpRequestId = ((await created.json()) as { id: string }).id;
}, 60_000);
afterAll(async () => world?.close());

describe("cross-site state changes (CSRF)", () => {
  it.each([
    ["Sec-Fetch-Site: cross-site", { "sec-fetch-site": "cross-site", origin: "http://evil.test" }, /cross-site/],
    [
      "another port of the portal's host (same-site)",
      { "sec-fetch-site": "same-site", origin: "http://portal.test:18080" },
      /same-site/,
    ],
    [
      "a foreign Origin from a browser without Sec-Fetch-Site",
      { origin: "http://evil.test" },
      /Origin: http:\/\/evil\.test/,
    ],
  ])("refuses %s with 403 naming why, and creates nothing", async (_name, headers, why) => {
    session.user = engineer;
    const before = await requestCount();
    const response = await callRoute(submit, { json: submission(), headers });
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.code).toBe("cross_site_refused");
    expect(error.message).toMatch(why);
    expect(await requestCount()).toBe(before);
  });

  it("refuses a text/plain body (what a cross-site form can send) with 415 naming the header, and creates nothing", async () => {
    session.user = engineer;
    const before = await requestCount();
    const response = await callRoute(submit, {
      raw: JSON.stringify(submission()),
      headers: { "content-type": "text/plain" },
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).message).toMatch(/Content-Type must be application\/json/);
    const noType = await callRoute(submit, { raw: JSON.stringify(submission()) });
    expect(noType.status).toBe(415);
    expect(await requestCount()).toBe(before);
  });

  it("accepts the portal's own pages (same-origin) and non-browser callers (curl: no Origin, no Sec-Fetch-Site)", async () => {
    session.user = engineer;
    const own = await callRoute(submit, {
      json: submission("from the portal's form"),
      headers: { "sec-fetch-site": "same-origin", origin: "http://portal.test" },
    });
    expect(own.status).toBe(201);
    const curl = await callRoute(submit, { json: submission("from curl") });
    expect(curl.status).toBe(201);
    const configuredUrl = process.env.NEXTAUTH_URL;
    process.env.NEXTAUTH_URL = "https://portal.example.com";
    try {
      // Behind a proxy that rewrites Host, the public URL is the portal's origin.
      const proxied = await callRoute(submit, {
        json: submission("behind a proxy"),
        headers: { origin: "https://portal.example.com", host: "10.0.0.5:3000" },
      });
      expect(proxied.status).toBe(201);
      const forwarded = await callRoute(submit, {
        json: submission("forwarded host"),
        headers: { origin: "https://portal.internal", host: "10.0.0.5:3000", "x-forwarded-host": "portal.internal" },
      });
      expect(forwarded.status).toBe(201);
    } finally {
      if (configuredUrl === undefined) delete process.env.NEXTAUTH_URL;
      else process.env.NEXTAUTH_URL = configuredUrl;
    }
  });

  it("a body-less POST (dry run) from the portal needs no Content-Type", async () => {
    session.user = engineer;
    const response = await callRoute(at("/api/v1/requests/[id]/dry-run", "POST", dryRun), {
      params: { id: nlpRequestId },
      headers: { "sec-fetch-site": "same-origin" },
    });
    expect(response.status).toBe(200);
  });
});

describe("text PostgreSQL cannot store, and integers beyond int4 (422 naming the field, never a 500)", () => {
  it.each([
    ["a NUL in the search", { q: "\u0000" }, "q"],
    ["a NUL inside a filter", { status: "pending\u0000" }, "status"],
    ["a page beyond int4", { page: "99999999999" }, "page"],
  ])("GET /api/v1/requests with %s", async (_name, query, field) => {
    session.user = engineer;
    const response = await callRoute(list, { query });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).fields?.map((f) => f.path)).toContain(field);
  });

  it.each([
    ["a NUL in the title", { title: "Llama\u0000serving" }, "title"],
    ["a lone surrogate in the title", { title: "Llama \uD800 serving" }, "title"],
    [
      "a NUL deep in the plan input",
      { input: { scale_requirements: { min_replicas: 1 }, labels: { team: "a\u0000" } } },
      "input.labels.team",
    ],
    ["a NUL in a key of the plan input", { input: { "bad\u0000key": 1 } }, "input.bad\\u0000key"],
  ])("POST /api/v1/requests with %s: 422 naming the field, nothing written", async (_name, change, field) => {
    session.user = engineer;
    const before = await requestCount();
    const response = await callRoute(submit, { json: { ...submission(), ...change } });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).fields?.map((f) => f.path)).toEqual([field]);
    expect(await requestCount()).toBe(before);
  });

  it("GET /api/v1/dr-plans/{key}?version=99999999999 names the version", async () => {
    session.user = await world.user("sre@demo.local");
    const response = await callRoute(at("/api/v1/dr-plans/[key]", "GET", planById), {
      params: { key: "nightly-restore" },
      query: { version: "99999999999" },
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).fields?.map((f) => f.path)).toEqual(["version"]);
  });

  it("a body integer beyond int4 where the schema sets no bound (a plan version) names the field", async () => {
    session.user = await world.user("sre@demo.local");
    const runs = await getPrisma().drillRun.count();
    const response = await callRoute(at("/api/v1/drills", "POST", drills), {
      json: { planKey, planVersion: 99_999_999_999 },
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).fields?.map((f) => f.path)).toEqual(["planVersion"]);
    expect(await getPrisma().drillRun.count()).toBe(runs);
  });

  it("a reference to a row that does not exist is a 422 naming the field, not a foreign key 500", async () => {
    session.user = await world.user("sre@demo.local");
    const plans = await getPrisma().drPlan.count();
    const response = await callRoute(at("/api/v1/dr-plans/[key]/copy", "POST", copyPlan), {
      params: { key: planKey },
      json: { newKey: "copied-plan", clusterTargetId: "no-such-cluster" },
    });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).fields?.map((f) => f.path)).toEqual(["clusterTargetId"]);
    expect(await getPrisma().drPlan.count()).toBe(plans);
  });

  it("a status filter that is no status is a 422 naming it, not a database error", async () => {
    session.user = engineer;
    const response = await callRoute(list, { query: { status: "0x10" } });
    expect(response.status).toBe(422);
    expect((await errorOf(response)).fields?.map((f) => f.path)).toEqual(["status"]);
    expect((await callRoute(list, { query: { status: "" } })).status).toBe(200);
  });

  it("a timeline cursor beyond int4 and a NUL in a path parameter are refused, not a 500", async () => {
    session.user = engineer;
    const t = at("/api/v1/requests/[id]/timeline", "GET", timeline);
    expect(
      (await callRoute(t, { params: { id: nlpRequestId }, query: { after: "99999999999999999999" } })).status,
    ).toBe(422);
    const nul = await callRoute(t, { params: { id: "a\u0000b" } });
    expect(nul.status).toBe(422);
    expect((await errorOf(nul)).fields?.map((f) => f.path)).toEqual(["id"]);
  });

  it("a 10 000-deep body is refused naming the depth", async () => {
    session.user = engineer;
    const deep = `{"kind":"inference_scaling","title":"deep","input":{"x":${"[".repeat(10_000)}${"]".repeat(10_000)}}}`;
    const refused = await callRoute(submit, { raw: deep, headers: { "content-type": "application/json" } });
    expect(refused.status).toBe(422);
    expect((await errorOf(refused)).message).toMatch(/nested more than 64 levels/);
  });
});

describe("another team's request is a 404, as an unknown id is (no existence oracle)", () => {
  const reads = [
    ["GET /api/v1/requests/{id}", at("/api/v1/requests/[id]", "GET", requestById)],
    ["GET /api/v1/requests/{id}/timeline", at("/api/v1/requests/[id]/timeline", "GET", timeline)],
    ["POST /api/v1/requests/{id}/drift", at("/api/v1/requests/[id]/drift", "POST", drift)],
    ["POST /api/v1/requests/{id}/dry-run", at("/api/v1/requests/[id]/dry-run", "POST", dryRun)],
  ] as const;

  it.each(reads)("%s", async (_name, target) => {
    session.user = visionEngineer;
    const foreign = await callRoute(target, { params: { id: nlpRequestId } });
    const unknown = await callRoute(target, { params: { id: "no-such-request" } });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect((await errorOf(foreign)).message).toBe((await errorOf(unknown)).message);
  });

  it("POST /api/v1/requests/{id}/revert of another team's request is a 404 too, and the denial is audited", async () => {
    session.user = visionEngineer;
    const response = await callRoute(at("/api/v1/requests/[id]/revert", "POST", revert), {
      params: { id: nlpRequestId },
      json: { confirmedDeletes: [] },
    });
    expect(response.status).toBe(404);
    expect(
      await getPrisma().auditEvent.count({
        where: { actorId: visionEngineer.id, action: "request.read", outcome: "denied" },
      }),
    ).toBeGreaterThan(0);
  });
});

describe("the database is unreachable", () => {
  it("answers 503 with Retry-After, not a 500", async () => {
    session.user = engineer;
    const url = process.env.DATABASE_URL;
    // A port nobody listens on: connection refused, as when PostgreSQL is down.
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:1/portal_down";
    try {
      const response = await callRoute(list);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await errorOf(response)).code).toBe("database_unavailable");
    } finally {
      process.env.DATABASE_URL = url;
    }
    expect((await callRoute(list)).status).toBe(200);
  });
});

describe("edits racing for the same plan (unique constraint)", () => {
  it("parallel PATCHes answer 200 or 409, never a 5xx, and every 200's change is in the plan's history", async () => {
    session.user = await world.user("sre@demo.local");
    const patch = at("/api/v1/dr-plans/[key]", "PATCH", planById);
    const descriptions = Array.from({ length: 11 }, (_, i) => `parallel edit ${i}`);
    const responses = await Promise.all(
      descriptions.map((description) => callRoute(patch, { params: { key: planKey }, json: { description } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(
      statuses.every((s) => s === 200 || s === 409),
      `statuses: ${statuses.join(",")}`,
    ).toBe(true);
    expect(statuses).toContain(200);
    const conflict = responses.find((r) => r.status === 409);
    if (conflict) expect((await errorOf(conflict)).message).toMatch(/at the same time: reload/);
    const history = (await getPrisma().drPlan.findMany({ where: { key: planKey }, select: { description: true } })).map(
      (p) => p.description,
    );
    for (const [i, status] of statuses.entries()) if (status === 200) expect(history).toContain(descriptions[i]);
  });

  it("parallel copies to one new key create it once; the others are 409, not 500", async () => {
    session.user = await world.user("sre@demo.local");
    const copy = at("/api/v1/dr-plans/[key]/copy", "POST", copyPlan);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => callRoute(copy, { params: { key: planKey }, json: { newKey: "racecopy" } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(
      statuses.every((s) => s < 500),
      `statuses: ${statuses.join(",")}`,
    ).toBe(true);
    expect(await getPrisma().drPlan.count({ where: { key: "racecopy" } })).toBe(1);
  });
});

describe("an anonymous caller's body", () => {
  it("is not read before the 401", async () => {
    session.user = null;
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode("x".repeat(64 * 1024)));
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request("http://portal.test/api/v1/requests", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    const response = await requests.POST(request, { params: Promise.resolve({}) });
    expect(response.status).toBe(401);
    expect(pulled).toBe(false);
  });
});

// Hostile input against every write route and every query parameter of the API, generated with fast-check and sent
// as a platform admin (who reaches every handler) through the real handlers and PostgreSQL: NUL bytes, lone
// surrogates, 10 000-deep JSON, 2 MB bodies, wrong content types, huge, negative and non-finite numbers. Never a
// 5xx, never a partial write (row counts of the main tables unchanged), and the API still answers after.
// Only the session is stubbed.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { seedDrTemplates } from "@/lib/dr/seed-dr-templates.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { apiRoutes, callRoute, type ApiRoute, type CallOptions } from "@/test-support/api-routes";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

const NUM_RUNS = Number(process.env.SWEEP_RUNS ?? 6);

let world: RequestWorld;
const paramValues: Record<string, string> = { key: "", index: "0" };
const routes = (await apiRoutes()).filter((r) => r.pattern.startsWith("/api/v1/"));
const loaded = new Map<string, Awaited<ReturnType<ApiRoute["load"]>>>();
for (const r of routes) loaded.set(r.key, await r.load());
const writeRoutes = routes.filter((r) => r.method !== "GET" && loaded.get(r.key)?.routeOptions);
const queryRoutes = routes.filter((r) => r.method === "GET" && loaded.get(r.key)?.routeOptions?.query);
const paramRoutes = routes.filter((r) => r.pattern.includes("[") && loaded.get(r.key)?.routeOptions);

/** The keys of an object schema, through optional/default/nullable/pipe wrappers; [] for other schemas. */
function objectKeys(schema: z.ZodType | undefined): string[] {
  let current = schema as unknown as { _zod?: { def: Record<string, unknown> } } | undefined;
  for (let i = 0; current?._zod && i < 10; i++) {
    const def = current._zod.def as {
      type: string;
      shape?: Record<string, unknown>;
      innerType?: unknown;
      in?: unknown;
    };
    if (def.type === "object") return Object.keys(def.shape ?? {});
    current = (def.innerType ?? def.in) as typeof current;
  }
  return [];
}

/** Ids that make each route reach its handler's lookups: the world's request, cluster and plan. */
function params(r: ApiRoute, overrides: Record<string, string> = {}): Record<string, string> {
  const names = [...r.pattern.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!);
  const id = r.pattern.startsWith("/api/v1/requests/")
    ? paramValues.requestId!
    : r.pattern.startsWith("/api/v1/clusters/")
      ? world.sandboxId
      : "no-such-id";
  return Object.fromEntries(names.map((n) => [n, overrides[n] ?? (n === "id" ? id : paramValues[n]!)]));
}

const nulText = fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}\u0000${b}`);
const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom("\uD800", "\uDBFF", "\uDC00", "\uDFFF"))
  .map(([a, s]) => `${a}${s}`);
const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  99_999_999_999,
  -99_999_999_999,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -1e-300,
);
/** A JSON value no field of ours should accept. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  nulText,
  loneSurrogate,
  hugeNumber,
  fc.tuple(fc.string({ maxLength: 10 }), nulText).map(([k, v]) => ({ [k || "k"]: v })),
  fc.array(loneSurrogate, { minLength: 1, maxLength: 3 }),
  nulText.map((k) => ({ [k]: "value" })),
);

/** A body with hostile values at some of the schema's own keys (all of them when the schema has none). */
function hostileBody(keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  const names = keys.length ? keys : ["value"];
  return fc
    .subarray(names, { minLength: 1 })
    .chain((chosen) =>
      fc
        .tuple(...chosen.map(() => hostileValue))
        .map((values) => Object.fromEntries(chosen.map((k, i) => [k, values[i]]))),
    );
}

const containsUnstorableText = (value: unknown) => /\\u0000|\\ud[89ab]|\\ud[c-f]/i.test(JSON.stringify(value));

const deepJson = (depth: number) => `{"value":${"[".repeat(depth)}${"]".repeat(depth)}}`;
const rawCases: { name: string; call: CallOptions }[] = [
  { name: "10 000-deep JSON", call: { raw: deepJson(10_000), headers: { "content-type": "application/json" } } },
  {
    name: "a 2 MB body",
    call: {
      raw: JSON.stringify({ value: "x".repeat(2 * 1024 * 1024) }),
      headers: { "content-type": "application/json" },
    },
  },
  {
    name: "NaN and Infinity (not JSON)",
    call: { raw: '{"value": NaN, "other": Infinity}', headers: { "content-type": "application/json" } },
  },
  { name: "truncated JSON", call: { raw: '{"value": [1, 2', headers: { "content-type": "application/json" } } },
  { name: "text/plain", call: { raw: "{}", headers: { "content-type": "text/plain" } } },
  {
    name: "a form",
    call: { raw: "title=x&teamId=y", headers: { "content-type": "application/x-www-form-urlencoded" } },
  },
  {
    name: "multipart",
    call: {
      raw: "--b\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--b--",
      headers: { "content-type": "multipart/form-data; boundary=b" },
    },
  },
  { name: "JSON with no Content-Type", call: { raw: "{}" } },
];

const hostileQueryValue = fc.oneof(
  nulText,
  fc.constantFrom(
    "99999999999",
    "-99999999999",
    "2147483648",
    "-1",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "0x10",
    "",
    " ",
    "1.5",
    "[]",
    "{}",
  ),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
);

async function rowCounts() {
  const db = getPrisma();
  const [requests, approvals, applyRuns, events, clusters, plans, drills, audits, teams, tokens] = await Promise.all([
    db.request.count(),
    db.approval.count(),
    db.applyRun.count(),
    db.requestEvent.count(),
    db.clusterTarget.count(),
    db.drPlan.count(),
    db.drillRun.count(),
    db.auditEvent.count(),
    db.team.count(),
    db.apiToken.count(),
  ]);
  return { requests, approvals, applyRuns, events, clusters, plans, drills, audits, teams, tokens };
}

let before: Awaited<ReturnType<typeof rowCounts>>;
beforeAll(async () => {
  world = await startRequestWorld();
  session.user = await world.user("admin@demo.local");
  const engineer = await world.user("engineer@demo.local");
  paramValues.key = (await seedDrTemplates(getPrisma()))[0]!;
  const request = await getPrisma().request.create({
    data: {
      kind: "node_pool",
      title: "swept",
      teamId: engineer.teamIds[0]!,
      requesterId: engineer.id,
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
      planHash: "sweep",
      monthlyCostUsd: 0,
      securityScore: 100,
      criticalFindings: 0,
    },
  });
  paramValues.requestId = request.id;
  before = await rowCounts();
}, 60_000);
afterAll(async () => world?.close());

async function expectRefusedWithoutServerError(r: ApiRoute, call: CallOptions) {
  const response = await callRoute(r, call);
  const text = await response.text();
  expect(response.status, `${r.key} ${JSON.stringify(call).slice(0, 200)} → ${text.slice(0, 300)}`).toBeLessThan(500);
  return response.status;
}

describe("every write route", () => {
  it("finds write routes and query parameters to sweep", () => {
    expect(writeRoutes.length).toBeGreaterThan(15);
    expect(queryRoutes.length).toBeGreaterThan(8);
  });

  it.each(writeRoutes.map((r) => [r.key, r] as const))(
    "%s refuses generated hostile bodies (4xx, nothing written)",
    async (_key, r) => {
      const schema = loaded.get(r.key)!.routeOptions!.body;
      let accepted = false;
      await fc.assert(
        fc.asyncProperty(hostileBody(objectKeys(schema)), async (body) => {
          const status = await expectRefusedWithoutServerError(r, { params: params(r), json: body });
          // A route that takes no body ignores one it could store (a number); text it could not store is refused.
          if (schema || containsUnstorableText(body)) expect(status).toBeGreaterThanOrEqual(400);
          accepted ||= status < 400;
        }),
        { numRuns: NUM_RUNS },
      );
      for (const { name, call } of rawCases) {
        const status = await expectRefusedWithoutServerError(r, { params: params(r), ...call });
        expect(status, `${r.key} with ${name}`).toBeGreaterThanOrEqual(400);
      }
      if (accepted) {
        // Only a route without a body gets here (the checks above hold every other to a 4xx): it ignored a
        // body it could store and did its work, which may write (a dry-run keeps its result on the request's
        // timeline). Those rows are its own, not a partial write: the next route is compared from here.
        expect(schema).toBeUndefined();
        before = await rowCounts();
      } else {
        expect(await rowCounts()).toEqual(before);
      }
    },
  );
});

describe("every query parameter", () => {
  it.each(queryRoutes.map((r) => [r.key, r] as const))("%s answers hostile values without a 5xx", async (_key, r) => {
    const keys = objectKeys(loaded.get(r.key)!.routeOptions!.query);
    expect(keys.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), hostileQueryValue, async (key, value) => {
        await expectRefusedWithoutServerError(r, { params: params(r), query: { [key]: value } });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("every path parameter", () => {
  it.each(paramRoutes.map((r) => [r.key, r] as const))("%s answers hostile ids without a 5xx", async (_key, r) => {
    const names = [...r.pattern.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), hostileQueryValue, async (name, value) => {
        const call: CallOptions = { params: params(r, { [name]: value }), ...(r.method === "GET" ? {} : { json: [] }) };
        await expectRefusedWithoutServerError(r, call);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("after the sweep", () => {
  it("nothing was written and the API still answers", async () => {
    expect(await rowCounts()).toEqual(before);
    const list = routes.find((r) => r.key === "GET /api/v1/requests")!;
    expect((await callRoute(list)).status).toBe(200);
    const submit = routes.find((r) => r.key === "POST /api/v1/requests")!;
    const admin = session.user!;
    const created = await callRoute(submit, {
      json: {
        kind: "node_pool",
        title: "after the sweep",
        teamId: admin.teamIds[0],
        clusterTargetId: world.sandboxId,
        input: {},
      },
    });
    expect(created.status).toBe(201);
  });
});

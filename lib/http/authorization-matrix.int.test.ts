// Who may call what, as one table: every API route (found from the files under app/api, so a new route without an
// entry here fails) × anonymous and each role, called through the real handler with a real PostgreSQL and the
// Kubernetes API double. Denied roles get 403, anonymous callers 401; an allowed caller gets the status its call
// earns (write routes are sent a body no schema accepts, so an allowed caller gets 422 and nothing is written).
// Also: nobody approves their own request, and an engineer never sees another team's request (404, as unknown).
// Only the session is stubbed (getCurrentUser), as the signed-in person's row read from the database.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser, Role } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { seedDrTemplates } from "@/lib/dr/seed-dr-templates.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { apiRoutes, callRoute, type ApiRoute, type CallOptions } from "@/test-support/api-routes";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

type Who = "anonymous" | Role;
const everyone: Who[] = ["anonymous", "ml-engineer", "finance", "sre", "platform-admin"];
const signedIn = ["ml-engineer", "finance", "sre", "platform-admin"] as const satisfies readonly Role[];

/** Fixture values known once the world is seeded. */
interface Ids {
  nlpRequest: string;
  sandbox: string;
  planKey: string;
}

interface Entry {
  /** "public": no sign-in; otherwise the roles allowed (others 403, anonymous 401). */
  allowed: "public" | readonly Role[];
  /** What an allowed caller gets for `call`. */
  status: number;
  call?: (ids: Ids) => CallOptions;
  /** For handlers that do not go through route() and cannot run outside Next.js: why, and what guards them. */
  notCallable?: string;
}

const notJson: CallOptions = { json: [] }; // a JSON body no schema of ours accepts: 422 once authorized
const all = signedIn;
const engineers = ["ml-engineer", "sre", "platform-admin"] as const;
const costReaders = ["ml-engineer", "finance", "platform-admin"] as const;
const costManagers = ["finance", "platform-admin"] as const;
const drPeople = ["sre", "platform-admin"] as const;
const admins = ["platform-admin"] as const;

const table: Record<string, Entry> = {
  "GET /api/auth/[...nextauth]": {
    allowed: "public",
    status: 200,
    notCallable:
      "next-auth's own handler (needs Next.js's request scope); its sign-in and sign-out POSTs check next-auth's CSRF token",
  },
  "POST /api/auth/[...nextauth]": {
    allowed: "public",
    status: 200,
    notCallable:
      "next-auth's own handler (needs Next.js's request scope); its sign-in and sign-out POSTs check next-auth's CSRF token",
  },
  "GET /api/healthz": { allowed: "public", status: 200 },
  "GET /api/readyz": { allowed: "public", status: 200 },
  "GET /api/v1/openapi.json": { allowed: "public", status: 200 },
  "GET /api/v1/audit": { allowed: admins, status: 200 },
  "POST /api/v1/clusters/[id]/check": {
    allowed: admins,
    status: 404,
    call: () => ({ params: { id: "no-such-cluster" } }),
  },
  "PUT /api/v1/clusters/[id]/delivery": {
    allowed: admins,
    status: 422,
    call: (ids) => ({ params: { id: ids.sandbox }, ...notJson }),
  },
  "GET /api/v1/clusters": { allowed: engineers, status: 200 },
  "POST /api/v1/clusters": { allowed: admins, status: 422, call: () => notJson },
  "GET /api/v1/costs/budgets": { allowed: costReaders, status: 200 },
  "PUT /api/v1/costs/budgets": { allowed: costManagers, status: 422, call: () => notJson },
  "GET /api/v1/costs/export": { allowed: costReaders, status: 200 },
  "GET /api/v1/costs/heatmap": { allowed: costReaders, status: 200 },
  "POST /api/v1/costs/ingest": { allowed: costManagers, status: 422, call: () => notJson },
  "POST /api/v1/costs/recommendations/[id]": {
    allowed: costManagers,
    status: 422,
    call: () => ({ params: { id: "no-such-recommendation" }, ...notJson }),
  },
  "GET /api/v1/costs/recommendations": { allowed: costReaders, status: 200 },
  "GET /api/v1/costs/report": { allowed: costReaders, status: 200 },
  "GET /api/v1/costs/settings": { allowed: admins, status: 200 },
  "PUT /api/v1/costs/settings": { allowed: admins, status: 422, call: () => notJson },
  "GET /api/v1/costs/summary": { allowed: costReaders, status: 200 },
  "GET /api/v1/costs/timeseries": { allowed: costReaders, status: 200 },
  "POST /api/v1/dr-plans/[key]/copy": {
    allowed: drPeople,
    status: 422,
    call: (ids) => ({ params: { key: ids.planKey }, ...notJson }),
  },
  "GET /api/v1/dr-plans/[key]/history": {
    allowed: drPeople,
    status: 200,
    call: (ids) => ({ params: { key: ids.planKey } }),
  },
  "GET /api/v1/dr-plans/[key]": { allowed: drPeople, status: 200, call: (ids) => ({ params: { key: ids.planKey } }) },
  "PATCH /api/v1/dr-plans/[key]": {
    allowed: drPeople,
    status: 422,
    call: (ids) => ({ params: { key: ids.planKey }, ...notJson }),
  },
  "GET /api/v1/dr-plans": { allowed: drPeople, status: 200 },
  "POST /api/v1/drills/[id]/abort": {
    allowed: drPeople,
    status: 422,
    call: () => ({ params: { id: "no-such-run" }, ...notJson }),
  },
  "GET /api/v1/drills/[id]/report": { allowed: drPeople, status: 404, call: () => ({ params: { id: "no-such-run" } }) },
  "GET /api/v1/drills/[id]": { allowed: drPeople, status: 404, call: () => ({ params: { id: "no-such-run" } }) },
  "POST /api/v1/drills/[id]/steps/[index]/confirm": {
    allowed: drPeople,
    status: 422,
    call: () => ({ params: { id: "no-such-run", index: "0" }, ...notJson }),
  },
  "GET /api/v1/drills/backups": { allowed: drPeople, status: 200 },
  "POST /api/v1/drills": { allowed: drPeople, status: 422, call: () => notJson },
  "POST /api/v1/plans": { allowed: engineers, status: 422, call: () => notJson },
  "POST /api/v1/requests/[id]/approve": {
    allowed: admins,
    status: 422,
    call: (ids) => ({ params: { id: ids.nlpRequest }, ...notJson }),
  },
  "POST /api/v1/requests/[id]/drift": {
    allowed: all,
    status: 409,
    call: (ids) => ({ params: { id: ids.nlpRequest } }),
  },
  "POST /api/v1/requests/[id]/dry-run": {
    allowed: all,
    status: 200,
    call: (ids) => ({ params: { id: ids.nlpRequest } }),
  },
  "POST /api/v1/requests/[id]/force-apply": {
    allowed: admins,
    status: 422,
    call: (ids) => ({ params: { id: ids.nlpRequest }, ...notJson }),
  },
  "POST /api/v1/requests/[id]/refresh-delivery": {
    allowed: all,
    status: 409,
    call: (ids) => ({ params: { id: ids.nlpRequest } }),
  },
  "POST /api/v1/requests/[id]/retry-delivery": {
    allowed: engineers,
    status: 409,
    call: (ids) => ({ params: { id: ids.nlpRequest } }),
  },
  "POST /api/v1/requests/[id]/reject": {
    allowed: admins,
    status: 422,
    call: (ids) => ({ params: { id: ids.nlpRequest }, ...notJson }),
  },
  "POST /api/v1/requests/[id]/revert": {
    allowed: engineers,
    status: 422,
    call: (ids) => ({ params: { id: ids.nlpRequest }, ...notJson }),
  },
  "GET /api/v1/requests/[id]": { allowed: all, status: 200, call: (ids) => ({ params: { id: ids.nlpRequest } }) },
  "GET /api/v1/requests/[id]/timeline": {
    allowed: all,
    status: 200,
    call: (ids) => ({ params: { id: ids.nlpRequest } }),
  },
  "GET /api/v1/requests": { allowed: all, status: 200 },
  "POST /api/v1/requests": { allowed: all, status: 422, call: () => notJson },
  "GET /api/v1/people": { allowed: admins, status: 200 },
  "PATCH /api/v1/people/[id]": {
    allowed: admins,
    status: 422,
    call: () => ({ params: { id: "no-such-person" }, ...notJson }),
  },
  "GET /api/v1/teams": { allowed: admins, status: 200 },
  "POST /api/v1/teams": { allowed: admins, status: 422, call: () => notJson },
  "PATCH /api/v1/teams/[id]": {
    allowed: admins,
    status: 422,
    call: () => ({ params: { id: "no-such-team" }, ...notJson }),
  },
  "PUT /api/v1/teams/[id]/members/[userId]": {
    allowed: admins,
    status: 404,
    call: () => ({ params: { id: "no-such-team", userId: "no-such-person" } }),
  },
  "DELETE /api/v1/teams/[id]/members/[userId]": {
    allowed: admins,
    status: 404,
    call: () => ({ params: { id: "no-such-team", userId: "no-such-person" } }),
  },
  "GET /api/v1/settings/sso-groups": { allowed: admins, status: 200 },
  "PUT /api/v1/settings/sso-groups": { allowed: admins, status: 422, call: () => notJson },
  "GET /api/v1/settings/url-allow-list": { allowed: admins, status: 200 },
  "PUT /api/v1/settings/url-allow-list": { allowed: admins, status: 422, call: () => notJson },
  "GET /api/v1/tokens": { allowed: all, status: 200 },
  "POST /api/v1/tokens": { allowed: all, status: 422, call: () => notJson },
  "DELETE /api/v1/tokens/[id]": { allowed: all, status: 404, call: () => ({ params: { id: "no-such-token" } }) },
  "GET /api/v1/notifications/subscriptions": { allowed: all, status: 200 },
  "POST /api/v1/notifications/subscriptions": { allowed: all, status: 422, call: () => notJson },
  "DELETE /api/v1/notifications/subscriptions/[id]": {
    allowed: all,
    status: 404,
    call: () => ({ params: { id: "no-such-subscription" } }),
  },
  "POST /api/v1/notifications/subscriptions/[id]/test": {
    allowed: all,
    status: 404,
    call: () => ({ params: { id: "no-such-subscription" }, json: {} }),
  },
  "GET /api/v1/notifications/deliveries": { allowed: all, status: 200 },
  "GET /api/v1/scaling/request-rate-history": {
    allowed: all,
    status: 422,
    call: () => ({ query: { namespace: "Not A Namespace", service: "model-server" } }),
  },
};

const people: Record<Role, string> = {
  "ml-engineer": "engineer@demo.local",
  finance: "finance@demo.local",
  sre: "sre@demo.local",
  "platform-admin": "admin@demo.local",
};

let world: RequestWorld;
let ids: Ids;
const users = new Map<Role, PortalUser>();
const routes = await apiRoutes();

beforeAll(async () => {
  world = await startRequestWorld();
  for (const role of signedIn) users.set(role, await world.user(people[role]));
  const [planKey] = await seedDrTemplates(getPrisma());
  const engineer = users.get("ml-engineer")!;
  const request = await getPrisma().request.create({
    data: {
      kind: "node_pool",
      title: "NLP's pending pool",
      teamId: engineer.teamIds[0]!,
      requesterId: engineer.id,
      clusterTargetId: world.sandboxId,
      status: "pending_approval",
      input: {},
      plan: {
        deployment_manifests: [
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "matrix", namespace: "ml-inference" },
            data: { a: "b" },
          },
        ],
        infrastructure_config: {},
        cost_estimate: {},
        security_report: {},
        runbooks: [],
        validation: {},
      },
      planHash: "matrix",
      monthlyCostUsd: 0,
      securityScore: 100,
      criticalFindings: 0,
    },
  });
  ids = { nlpRequest: request.id, sandbox: world.sandboxId, planKey: planKey! };
}, 60_000);
afterAll(async () => world?.close());

describe("the table covers every route", () => {
  it("has an entry for every exported HTTP method of every app/api route file, and no entry without a route", () => {
    expect(Object.keys(table).sort()).toEqual(routes.map((r) => r.key).sort());
  });

  it("every route that is neither public nor next-auth's goes through route() with an action", async () => {
    for (const r of routes) {
      const handler = await r.load();
      if (table[r.key]?.allowed === "public") continue;
      expect(handler.routeOptions?.action, r.key).toEqual(expect.any(String));
    }
  });
});

function expected(entry: Entry, who: Who): number {
  if (entry.allowed === "public") return entry.status;
  if (who === "anonymous") return 401;
  return entry.allowed.includes(who) ? entry.status : 403;
}

const callable = routes.filter((r) => !table[r.key]?.notCallable);
describe.each(callable.map((r) => [r.key, r] as [string, ApiRoute]))("%s", (key, r) => {
  it.each(everyone)("as %s", async (who) => {
    const entry = table[key];
    session.user = who === "anonymous" ? null : users.get(who)!;
    const response = await callRoute(r, entry!.call?.(ids) ?? {});
    const body = response.headers.get("content-type")?.includes("json") ? await response.text() : "";
    expect(response.status, `${key} as ${who}: ${body.slice(0, 300)}`).toBe(expected(entry!, who));
  });
});

describe("rules the table cannot show", () => {
  it("nobody approves their own request: the admin's own request is refused with 403 and stays pending", async () => {
    const admin = users.get("platform-admin")!;
    session.user = admin;
    const submit = routes.find((r) => r.key === "POST /api/v1/requests")!;
    const created = await callRoute(submit, {
      json: {
        kind: "node_pool",
        title: "Admin's own pool",
        teamId: admin.teamIds[0]!,
        clusterTargetId: world.sandboxId,
        input: {},
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const approve = routes.find((r) => r.key === "POST /api/v1/requests/[id]/approve")!;
    const response = await callRoute(approve, { params: { id }, json: { comment: "looks good to me" } });
    expect(response.status).toBe(403);
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id } })).status).toBe("pending_approval");
  });

  it("an engineer of another team gets 404 for a request (as for an unknown id) and does not list it", async () => {
    session.user = await world.user("vision-engineer@demo.local");
    const read = routes.find((r) => r.key === "GET /api/v1/requests/[id]")!;
    expect((await callRoute(read, { params: { id: ids.nlpRequest } })).status).toBe(404);
    expect((await callRoute(read, { params: { id: "no-such-request" } })).status).toBe(404);
    const list = routes.find((r) => r.key === "GET /api/v1/requests")!;
    const listed = (await (await callRoute(list)).json()) as { items: { id: string }[] };
    expect(listed.items.map((i) => i.id)).not.toContain(ids.nlpRequest);
    session.user = users.get("ml-engineer")!;
    const own = (await (await callRoute(list)).json()) as { items: { id: string }[] };
    expect(own.items.map((i) => i.id)).toContain(ids.nlpRequest);
  });
});

// The CLI's remote mode against the real route handlers and PostgreSQL: its fetch is routed to the handlers (as
// Next.js would call them), the token is a real one created through POST /api/v1/tokens, and while the CLI waits an
// admin approves through the real approve route and the real apply job runs against the Kubernetes API double.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { handleRequestApply } from "@/lib/requests/apply-request-job.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { apiRoutes, type ApiRoute } from "@/test-support/api-routes";
import { runSubmit, type SubmitDeps } from "./submit";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

let world: RequestWorld;
let engineer: PortalUser;
let admin: PortalUser;
let token: string;
const routes = await apiRoutes();

/** A fetch that hands the request to the route handler its path names, with the path parameters filled in. */
const handlerFetch: typeof fetch = async (input, init) => {
  const request = new Request(input instanceof URL ? input : String(input), init);
  const path = new URL(request.url).pathname;
  for (const r of routes as ApiRoute[]) {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${r.pattern.replace(/\[(\w+)\]/g, (_m, name: string) => (names.push(name), "([^/]+)"))}$`,
    );
    const match = pattern.exec(path);
    if (!match || r.method !== request.method) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
    return (await r.load())(request, { params: Promise.resolve(params) });
  }
  return new Response("no such route", { status: 404 });
};

function harness(
  files: Record<string, unknown>,
  onSleep: () => Promise<void> = async () => undefined,
  env: Record<string, string | undefined> = { PORTAL_TOKEN: token },
) {
  const out: string[] = [];
  const err: string[] = [];
  const deps: SubmitDeps = {
    fetch: handlerFetch,
    env,
    readFile: async (p) => (typeof files[p] === "string" ? (files[p] as string) : JSON.stringify(files[p])),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    sleep: onSleep,
  };
  return { deps, out, err };
}

async function decide(requestId: string, verdict: "approve" | "reject"): Promise<string | null> {
  session.user = admin;
  const r = routes.find((x) => x.key === `POST /api/v1/requests/[id]/${verdict}`)!;
  const response = await (
    await r.load()
  )(
    new Request(`http://portal.test/api/v1/requests/${requestId}/${verdict}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ comment: "from the CLI test" }),
    }),
    { params: Promise.resolve({ id: requestId }) },
  );
  session.user = null;
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { applyRunId?: string | null }).applyRunId ?? null;
}

const latestRequestId = async () => (await getPrisma().request.findFirstOrThrow({ orderBy: { createdAt: "desc" } })).id;

beforeAll(async () => {
  world = await startRequestWorld();
  engineer = await world.user("engineer@demo.local");
  admin = await world.user("admin@demo.local");
  session.user = engineer;
  const r = routes.find((x) => x.key === "POST /api/v1/tokens")!;
  const created = await (
    await r.load()
  )(
    new Request("http://portal.test/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "cli", scopes: ["requests:read", "requests:write"], expiresInDays: 1 }),
    }),
  );
  session.user = null;
  token = ((await created.json()) as { secret: string }).secret;
}, 60_000);
afterAll(async () => world?.close());

const requestFile = () => ({
  kind: "inference_scaling",
  title: "CI serving",
  teamId: engineer.teamIds[0],
  clusterTargetId: world.sandboxId,
  input: { scale_requirements: { min_replicas: 1, max_replicas: 4 } },
});
const args = ["--url", "http://127.0.0.1:3000", "--input", "request.json"];

describe("portal submit --url", () => {
  it("submits, waits through approval and apply, prints progress and exits 0 when applied", async () => {
    let step = 0;
    const h = harness({ "request.json": requestFile() }, async () => {
      step++;
      if (step !== 1) return;
      const runId = await decide(await latestRequestId(), "approve");
      await handleRequestApply({ applyRunId: runId! }, { jobId: "cli-test", signal: new AbortController().signal });
    });
    const code = await runSubmit([...args, "--wait", "--interval", "1"], h.deps);
    const id = await latestRequestId();
    const status = (await getPrisma().request.findUniqueOrThrow({ where: { id } })).status;
    expect({ code, status, err: h.err.join("") }).toEqual({ code: 0, status: "applied", err: "" });
    expect(h.out[0]).toBe(`submitted request ${id} (pending_approval)`);
    expect(h.out.at(-1)).toBe(`request ${id}: applied`);
  }, 60_000);

  it("exits 1 when the apply fails (the cluster refuses every write)", async () => {
    const refuse = world.double.faults.inject({
      method: "PATCH",
      applyOnly: true,
      dryRun: false,
      times: Infinity,
      action: {
        type: "status",
        code: 403,
        reason: "Forbidden",
        message: "the portal's service account may not patch here",
      },
    });
    const h = harness({ "request.json": requestFile() }, async () => {
      const runId = await decide(await latestRequestId(), "approve");
      try {
        await handleRequestApply(
          { applyRunId: runId! },
          { jobId: "cli-test-failing", signal: new AbortController().signal },
        );
      } finally {
        refuse();
      }
    });
    expect(await runSubmit([...args, "--wait", "--interval", "1"], h.deps)).toBe(1);
    expect(h.err.join("")).toContain("ended apply_failed");
    expect(h.out.at(-1)).toMatch(/: apply_failed$/);
  }, 60_000);

  it("exits 1 when the request is rejected", async () => {
    const h = harness(
      { "request.json": requestFile() },
      async () => void (await decide(await latestRequestId(), "reject")),
    );
    expect(await runSubmit([...args, "--wait", "--interval", "1"], h.deps)).toBe(1);
    expect(h.err.join("")).toContain("ended rejected");
  }, 30_000);

  it("exits 0 without --wait once the request is submitted", async () => {
    const h = harness({ "request.json": requestFile() });
    expect(await runSubmit(args, h.deps)).toBe(0);
    expect((await getPrisma().request.findUniqueOrThrow({ where: { id: await latestRequestId() } })).status).toBe(
      "pending_approval",
    );
  });

  it("exits 3 for a missing or refused token, submitting nothing", async () => {
    const before = await getPrisma().request.count();
    const missing = harness({ "request.json": requestFile() }, undefined, {});
    expect(await runSubmit(args, missing.deps)).toBe(3);
    expect(missing.err.join("")).toContain("PORTAL_TOKEN");
    const unknown = harness({ "request.json": requestFile() }, undefined, { PORTAL_TOKEN: `mlp_${"B".repeat(43)}` });
    expect(await runSubmit(args, unknown.deps)).toBe(3);
    expect(unknown.err.join("")).toContain("HTTP 401");
    expect(await getPrisma().request.count()).toBe(before);
  });

  it("exits 2 naming the field for bad input, locally or from the portal, and refuses bad URLs", async () => {
    const short = harness({ "request.json": { ...requestFile(), title: "x" } });
    expect(await runSubmit(args, short.deps)).toBe(2);
    expect(short.err.join("")).toContain("title");
    const notJson = harness({ "request.json": "{ nope" });
    expect(await runSubmit(args, notJson.deps)).toBe(2);
    const unknownCluster = harness({ "request.json": { ...requestFile(), clusterTargetId: "no-such-cluster" } });
    expect(await runSubmit(args, unknownCluster.deps)).toBe(2);
    expect(unknownCluster.err.join("")).toContain("cluster");
    for (const url of ["ftp://portal.example", "https://user:secret@portal.example", "not a url"]) {
      const h = harness({ "request.json": requestFile() });
      expect(await runSubmit(["--url", url, "--input", "request.json"], h.deps), url).toBe(2);
    }
  });
});

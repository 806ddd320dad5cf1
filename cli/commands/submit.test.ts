// The CLI's wait loop on a fake clock: the defaults are the documented 5 s and one hour, and a transient portal
// failure while waiting is retried rather than failing the pipeline.
import { describe, expect, it } from "vitest";
import { parseSubmitArguments, runSubmit, type SubmitDeps } from "./submit";

const request = {
  kind: "inference_scaling",
  title: "scale the model",
  teamId: "team",
  clusterTargetId: "cluster",
  input: {},
};

/** A portal double answering the POST with 201 and each GET with the next entry of `polls`; time moves on sleep. */
function fakePortal(polls: (number | "network")[], statuses: string[] = []) {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const err: string[] = [];
  let poll = 0;
  const deps: SubmitDeps = {
    env: { PORTAL_TOKEN: "mlp_test" },
    readFile: async () => JSON.stringify(request),
    out: () => undefined,
    err: (line) => err.push(line),
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    fetch: async (_url, init) => {
      if (init?.method === "POST") return Response.json({ id: "r1", status: "pending_approval" }, { status: 201 });
      const answer = polls[Math.min(poll, polls.length - 1)]!;
      const status = statuses[Math.min(poll, statuses.length - 1)] ?? "pending_approval";
      poll += 1;
      if (answer === "network") throw new TypeError("fetch failed");
      return answer === 200
        ? Response.json({ id: "r1", status })
        : Response.json({ error: { message: "unavailable" } }, { status: answer });
    },
  };
  return { deps, sleeps, err, elapsed: () => clock - 1_000_000 };
}

const args = ["--url", "http://portal.test", "--input", "r.json", "--wait"];

describe("submit --wait", () => {
  it("defaults to polling every 5 s for up to one hour", async () => {
    const parsed = parseSubmitArguments(["--url", "http://portal.test", "--input", "r.json"]);
    expect(parsed.ok && parsed.value).toMatchObject({ intervalMs: 5_000, timeoutMs: 3_600_000 });

    const portal = fakePortal([200]);
    expect(await runSubmit(args, portal.deps)).toBe(1);
    expect(portal.sleeps[0]).toBe(5_000);
    expect(portal.elapsed()).toBeGreaterThan(3_590_000);
    expect(portal.elapsed()).toBeLessThanOrEqual(3_600_000);
  });

  it("retries a 503 and a network error with backoff, then succeeds", async () => {
    const portal = fakePortal([503, "network", 502, 200], ["x", "x", "x", "applied"]);
    expect(await runSubmit(args, portal.deps)).toBe(0);
    expect(portal.sleeps).toEqual([5_000, 10_000, 20_000]);
    expect(portal.err.join("")).toContain("HTTP 503: retrying");
    expect(portal.err.join("")).toContain("fetch failed");
  });

  it("gives up on transient failures once the timeout is reached", async () => {
    const portal = fakePortal([503]);
    expect(await runSubmit([...args, "--timeout", "60"], portal.deps)).toBe(1);
    expect(portal.elapsed()).toBeLessThanOrEqual(60_000);
    expect(portal.err.at(-1)).toContain("the --timeout is reached");
  });

  it("still fails at once on a refusal that retrying cannot fix", async () => {
    const portal = fakePortal([403]);
    expect(await runSubmit(args, portal.deps)).toBe(3);
    expect(portal.sleeps).toEqual([]);
  });
});

describe("submit --wait on a cluster delivering through Git", () => {
  /** Answers each GET with the next body: the request's status and the `gitDelivery` of its detail. */
  function gitPortal(bodies: Record<string, unknown>[]) {
    const out: string[] = [];
    const err: string[] = [];
    let poll = 0;
    const deps: SubmitDeps = {
      env: { PORTAL_TOKEN: "mlp_test" },
      readFile: async () => JSON.stringify(request),
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      sleep: async () => undefined,
      now: () => 0,
      fetch: async (_url, init) => {
        if (init?.method === "POST") return Response.json({ id: "r1", status: "pending_approval" }, { status: 201 });
        const body = bodies[Math.min(poll, bodies.length - 1)]!;
        poll += 1;
        return Response.json({ id: "r1", ...body });
      },
    };
    return { deps, out, err, polls: () => poll };
  }
  const delivery = (state: string, more: Record<string, unknown> = {}) => ({
    status: "applied",
    gitDelivery: { operation: "apply", state, prNumber: 42, pr: null, sync: null, ...more },
  });
  const synced = (state: string) => ({ state, message: `Application argocd/ml is ${state}` });

  it("waits past the push until Argo CD / Flux report the delivery synced, printing each state", async () => {
    const portal = gitPortal([
      { status: "applying" },
      delivery("pr_open", { sync: synced("pending") }),
      delivery("merged", { pr: { state: "merged" }, sync: synced("out_of_sync") }),
      delivery("synced", { pr: { state: "merged" }, sync: synced("synced") }),
    ]);
    expect(await runSubmit(args, portal.deps)).toBe(0);
    expect(portal.polls()).toBe(4);
    expect(portal.out).toEqual([
      "submitted request r1 (pending_approval)",
      "request r1: applying",
      "request r1: applied, git pr open (pull request #42), sync pending",
      "request r1: applied, git merged (pull request #42 merged), sync out of sync",
      "request r1: applied, git synced (pull request #42 merged), sync synced",
    ]);
  });

  it("waits for the merge when the cluster names no Argo CD / Flux object", async () => {
    const portal = gitPortal([
      delivery("pr_open"),
      delivery("pr_open"),
      delivery("merged", { pr: { state: "merged" } }),
    ]);
    expect(await runSubmit(args, portal.deps)).toBe(0);
    expect(portal.polls()).toBe(3);
  });

  it("exits 1 when the pull request is closed unmerged or the sync fails", async () => {
    const closed = gitPortal([delivery("pr_open", { pr: { state: "closed" }, sync: synced("pending") })]);
    expect(await runSubmit(args, closed.deps)).toBe(1);
    expect(closed.err.join("")).toContain("pull request #42 was closed without being merged");
    const failed = gitPortal([delivery("merged", { pr: { state: "merged" }, sync: synced("failed") })]);
    expect(await runSubmit(args, failed.deps)).toBe(1);
    expect(failed.err.join("")).toContain("the sync failed: Application argocd/ml is failed");
  });

  it("exits 0 once a request applied directly is applied", async () => {
    const portal = gitPortal([{ status: "applied", gitDelivery: null }]);
    expect(await runSubmit(args, portal.deps)).toBe(0);
  });
});

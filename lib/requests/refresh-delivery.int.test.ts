// "Check now" on a git-delivered request, through the real route handler, a real Git server (git http-backend on
// 127.0.0.1) and the local GitHub API double: whoever may read the request gets the pull request's merge read and
// stored at once; another team's engineer and an unknown id get 404, an anonymous caller 401, a cross-site post
// 403, a request applied directly a 409 saying so, and a second check within seconds (or at the same moment) a 429
// saying when to retry.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { apiRoutes, callRoute, type CallOptions } from "@/test-support/api-routes";
import type { GitHubApiDouble } from "@/test-support/github-api-double";
import type { GitHttpServer } from "@/test-support/git-http-server";
import { startGitDeliveryKit, type GitDeliveryKit } from "@/test-support/git-delivery-kit";
import { configMapIn } from "@/test-support/revert-kit";
import { insertApprovedRequest, type RequestWorld } from "@/test-support/request-fixtures";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

const SLOW = 240_000;
let world: RequestWorld;
let git: GitHttpServer;
let github: GitHubApiDouble;
let kit: GitDeliveryKit;
const routes = await apiRoutes();
const checkNow = routes.find((r) => r.key === "POST /api/v1/requests/[id]/refresh-delivery")!;

beforeAll(async () => {
  kit = await startGitDeliveryKit();
  ({ world, git, github } = kit);
}, 60_000);
afterAll(async () => {
  await kit?.close();
});

async function call(id: string, as: PortalUser | null, options: CallOptions = {}) {
  session.user = as;
  try {
    const response = await callRoute(checkNow, { params: { id }, ...options });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { error?: { code: string; message: string } },
    };
  } finally {
    session.user = null;
  }
}

const latestDelivery = (requestId: string) =>
  getPrisma().gitDelivery.findFirstOrThrow({ where: { requestId }, orderBy: { createdAt: "desc" } });

describe("POST /api/v1/requests/{id}/refresh-delivery", () => {
  it("refuses a request applied directly to its cluster, saying so, and an unknown id with 404", async () => {
    const engineer = await world.user("engineer@demo.local");
    const { requestId } = await insertApprovedRequest(world, [configMapIn("zz-direct", "a")]);
    const direct = await call(requestId, engineer);
    expect(direct.status).toBe(409);
    expect(direct.body.error?.message).toMatch(/^REQ-\d+ is applied directly to its cluster: it has no git delivery/);
    expect((await call("no-such-request", engineer)).status).toBe(404);
  });

  it(
    "reads the pull request now for a reader of the request, refuses others, and throttles a repeat",
    async () => {
      await kit.deliverThroughGit(git.createRepo("check"), { repo: "acme/deploy", apiUrl: github.url });
      const request = await kit.approveAndDeliver([configMapIn("zz-check", "c")]);
      const number = request.number;
      const delivered = await latestDelivery(request.requestId);
      expect(delivered).toMatchObject({ state: "pr_open", prState: "open" });
      const prNumber = delivered.prNumber ?? 0;

      // Just read after the delivery: a check now is refused, saying when to try again, and reads nothing.
      const engineer = await world.user("engineer@demo.local");
      const tooSoon = await call(request.requestId, engineer);
      expect(tooSoon.status).toBe(429);
      expect(tooSoon.body.error?.message).toMatch(
        new RegExp(`^REQ-${number}'s delivery was read \\d+ s ago: check again in \\d+ s$`),
      );
      expect((await latestDelivery(request.requestId)).prCheckedAt).toEqual(delivered.prCheckedAt);

      // A minute later someone merges it on GitHub.
      const lastRead = new Date(Date.now() - 60_000);
      await getPrisma().gitDelivery.update({
        where: { id: delivered.id },
        data: { prCheckedAt: lastRead, syncCheckedAt: null, updatedAt: lastRead },
      });
      git.git("check", "update-ref", "refs/heads/main", `portal/REQ-${number}`);
      const mergeSha = git.git("check", "rev-parse", "main").trim();
      github.merge(prNumber, mergeSha, new Date("2026-12-07T11:00:00Z"));

      // Nobody else learns of it: not anonymous callers, not another team, not a page on another site.
      expect((await call(request.requestId, null)).status).toBe(401);
      expect((await call(request.requestId, await world.user("vision-engineer@demo.local"))).status).toBe(404);
      const crossSite = await call(request.requestId, engineer, { headers: { "sec-fetch-site": "cross-site" } });
      expect(crossSite.status).toBe(403);
      expect(await latestDelivery(request.requestId)).toMatchObject({ prState: "open", prCheckedAt: lastRead });

      // The request's engineer checks now, twice at the same moment: one GitHub read, the merge stored and returned;
      // the other is told to wait.
      const before = Date.now();
      const pulls = github.requests.length;
      const answers = await Promise.all([call(request.requestId, engineer), call(request.requestId, engineer)]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
      expect(github.requests.slice(pulls).filter((r) => r === `GET /repos/acme/deploy/pulls/${prNumber}`)).toHaveLength(
        1,
      );
      const checked = answers.find((a) => a.status === 200)!;
      expect(checked.body).toMatchObject({
        operation: "apply",
        state: "merged",
        prNumber,
        pr: { state: "merged", mergeSha, mergedAt: "2026-12-07T11:00:00.000Z", readError: null },
      });
      const stored = await latestDelivery(request.requestId);
      expect(stored).toMatchObject({ state: "merged", prState: "merged", prMergeSha: mergeSha });
      expect(stored.prCheckedAt?.getTime()).toBeGreaterThanOrEqual(before);
    },
    SLOW,
  );
});

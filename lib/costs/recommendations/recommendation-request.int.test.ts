// "Create request" on a recommendation: the submitted request is linked to it, the recommendation shows the
// request's progress, and once the request is applied the advice counts as acted on.
import { afterAll, assert, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";
import { httpRejection } from "@/test-support/http-view";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { submitRequest } from "@/lib/requests/submit-request.server";
import { listRecommendations } from "./list-recommendations.server";
import { recommendationView } from "./recommendation-view";

let world: RequestWorld;
let recommendationId: string;
const now = Date.now();

beforeAll(async () => {
  world = await startRequestWorld();
  const rec = await getPrisma().recommendation.create({
    data: {
      fingerprint: "spot:nlp:training-a100",
      category: "spot",
      title: "Run nlp's training on spot",
      team: "nlp",
      resources: [],
      currentMonthlyUsd: 1000,
      projectedSavingsUsd: 600,
      confidence: "high",
      effort: "low",
      actionItems: ["move it"],
      computedAt: new Date(now),
      requestDraft: { infrastructure_task: "node_pool", cloud_provider: "aws", workload_type: "training" },
    },
  });
  recommendationId = rec.id;
}, 60_000);
afterAll(async () => world?.close());

async function viewOfRecommendation() {
  const [rec] = (await listRecommendations(getPrisma(), { teams: ["nlp"], now })).filter(
    (r) => r.id === recommendationId,
  );
  assert(rec, "the planted recommendation is listed");
  return recommendationView(rec);
}

describe("a recommendation's request", () => {
  it("offers the form with the recommendation named, and refuses it for another team's request", async () => {
    const before = await viewOfRecommendation();
    expect(before.request).toBeNull();
    expect(before.requestHref).toContain(`recommendation=${recommendationId}&`);
    const vision = await getPrisma().team.findUniqueOrThrow({ where: { slug: "vision" } });
    const admin = await world.user("admin@demo.local");
    const attempt = submitRequest({
      actor: admin,
      input: {
        kind: "node_pool",
        title: "Spot for vision",
        teamId: vision.id,
        clusterTargetId: world.sandboxId,
        input: {},
        recommendationId,
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(DomainError);
    await expect(httpRejection(attempt)).rejects.toMatchObject({
      status: 422,
      fields: [{ path: "recommendationId", message: "belongs to team nlp" }],
    });
    expect(await getPrisma().request.count({ where: { title: "Spot for vision" } })).toBe(0); // nothing written
  });

  it("links the submitted request, shows its progress, refuses a second one and counts as acted on once applied", async () => {
    const engineer = await world.user("engineer@demo.local");
    const submitted = await submitRequest({
      actor: engineer,
      input: {
        kind: "node_pool",
        title: "Spot training pool",
        teamId: engineer.teamIds[0]!, // the seeded engineer belongs to one team
        clusterTargetId: world.sandboxId,
        input: {},
        recommendationId,
      },
    });
    let view = await viewOfRecommendation();
    expect(view.request).toMatchObject({
      id: submitted.id,
      number: submitted.number,
      step: "submitted",
      active: true,
      actedOn: false,
    });
    expect(view.state).toBe("open");
    expect(view.requestHref).toBeNull(); // the request carries the advice: no second "Create request"

    await expect(
      httpRejection(
        submitRequest({
          actor: engineer,
          input: {
            kind: "node_pool",
            title: "Again",
            teamId: engineer.teamIds[0]!, // the seeded engineer belongs to one team
            clusterTargetId: world.sandboxId,
            input: {},
            recommendationId,
          },
        }),
      ),
    ).rejects.toMatchObject({ status: 409 });

    await getPrisma().request.update({ where: { id: submitted.id }, data: { status: "apply_failed" } });
    view = await viewOfRecommendation();
    expect(view.request).toMatchObject({ step: "failed", active: true });

    await getPrisma().request.update({ where: { id: submitted.id }, data: { status: "applied" } });
    view = await viewOfRecommendation();
    expect(view.request).toMatchObject({ step: "applied", actedOn: true });
    expect(view.state).toBe("accepted");
    const open = await listRecommendations(getPrisma(), { teams: ["nlp"], states: ["open"], now });
    expect(open.map((r) => r.id)).not.toContain(recommendationId);
  });
});

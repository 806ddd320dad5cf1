// The first-run demo seed with every domain's demo data, as `npm start` seeds it (scripts/lib/seed-once.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { costSummary } from "@/lib/costs/rollups/cost-queries.server";
import { readCostSettings } from "@/lib/costs/sources/ingest-usage.server";
import { listFetchedUrls } from "@/lib/net/fetched-urls.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { demoSeeds } from "./demo-seeds";

// The last day of a February: the shortest month, where a budget taken from a longer month would no longer be exceeded.
const now = new Date(Date.UTC(2027, 1, 28, 21, 30));
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("demo_seeds"));
  await seedDemo(getPrisma(), {
    sandboxApiServer: "https://127.0.0.1:1",
    sandboxStandbyApiServer: "https://127.0.0.1:2",
    now,
    extraSeeds: demoSeeds,
  });
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("demo seed", () => {
  it("forecasts at least one team over its budget, so the costs dashboard shows the budget alert", async () => {
    const db = getPrisma();
    const teams = await db.team.findMany({ orderBy: { slug: "asc" } });
    const statuses = await Promise.all(
      teams.map(async (t) => ({
        team: t.slug,
        ...(await costSummary(db, { days: 30, groupBy: "team", team: t.slug, teams: [t.slug], now: now.getTime() }))
          .monthToDate.budget,
      })),
    );
    const over = statuses.filter((s) => s.alert);
    expect(over.length, JSON.stringify(statuses)).toBeGreaterThanOrEqual(1);
    for (const s of over) expect(s.forecastUsd).toBeGreaterThan(s.budgetUsd!);
    // The others keep room to spare: the alert singles out one team rather than crying wolf for all.
    expect(over.length).toBeLessThan(teams.length);
  });

  it("seeds drills that probe the model server from inside the cluster, so the portal itself fetches nothing unlisted", async () => {
    const db = getPrisma();
    const allow = await readUrlAllowList(db);
    const fetched = await listFetchedUrls(db, await readCostSettings(db), allow);
    expect(fetched.filter((f) => !f.allowed)).toEqual([]);
    const plans = await db.drPlan.findMany({ select: { steps: true } });
    const types = plans.flatMap((p) => (p.steps as { type: string }[]).map((s) => s.type));
    expect(types).toContain("model_probe");
    expect(types).not.toContain("http_health_check");
  });

  it("registers the standby sandbox cluster and binds cluster_failure's recovery steps to it", async () => {
    const db = getPrisma();
    const standby = await db.clusterTarget.findUniqueOrThrow({ where: { name: "sandbox-standby" } });
    expect(standby).toMatchObject({
      apiServer: "https://127.0.0.1:2",
      credentialRef: "kubeconfig-context:sandbox-standby",
      isSandbox: true,
    });
    const plan = await db.drPlan.findFirstOrThrow({ where: { key: "cluster_failure" } });
    const onStandby = (plan.steps as Array<{ type: string; clusterTargetId?: string }>)
      .filter((s) => s.clusterTargetId === standby.id)
      .map((s) => s.type);
    expect(onStandby).toEqual(["create_restore", "verify_canary", "wait_pods_ready", "model_probe", "cleanup"]);
    expect(plan.clusterTargetId).toBe((await db.clusterTarget.findUniqueOrThrow({ where: { name: "sandbox" } })).id);
  });
});

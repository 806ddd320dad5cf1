// "Cost since applied" on a team's page, through the real database: a pool re-applied by a later request is
// charged to the later request from then on, a reverted request stops at its revert, so the column adds up to the
// team's cost in those pools.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { rollupSamples } from "./allocation";
import { appliedRequestCosts } from "./cost-queries.server";
import { HOUR_MS, type GpuSample } from "@/lib/costs/schema";
import { refreshDailyRollup, upsertUsageRows } from "./usage-store.server";

const day = (d: number) => Date.UTC(2026, 10, d);
const now = day(21);

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_applied"));
  const db = getPrisma();
  await db.setting.create({
    data: { key: "costs.source", value: { sources: ["prometheus"], prometheusUrl: "http://prometheus.example:9090" } },
  });
  const team = await db.team.create({ data: { slug: "nlp", name: "NLP" } });
  const user = await db.user.create({ data: { email: "e@example.com", name: "E", role: "ml_engineer" } });
  // Pool "gpu": $10 an hour from 1 to 21 November; pool "tpu": $1 an hour over the same span.
  const samples: GpuSample[] = [];
  const base = {
    node: "n1",
    team: "nlp",
    workloadType: "inference",
    instanceType: "g5.xlarge",
    capacityType: "on_demand" as const,
    requestedGpus: 1,
    memoryUsedMiB: 1,
    utilization: 50,
    hours: 1,
  };
  for (let ts = day(1); ts < now; ts += HOUR_MS) {
    samples.push({ ...base, ts, gpuId: "g0", nodePool: "gpu" });
    samples.push({ ...base, ts, gpuId: "g1", nodePool: "tpu" });
  }
  await upsertUsageRows(
    db,
    rollupSamples(samples, "prometheus", (s) => (s.nodePool === "gpu" ? 10 : 1)),
  );
  await refreshDailyRollup(db, "prometheus", day(1), now);
  const request = (title: string, appliedAt: number, pools: string[]) =>
    db.request.create({
      data: {
        kind: "node_pool",
        title,
        teamId: team.id,
        requesterId: user.id,
        status: "applied",
        input: { node_pools: pools.map((name) => ({ name })) },
        plan: {},
        planHash: title,
        monthlyCostUsd: 100,
        securityScore: 100,
        criticalFindings: 0,
        appliedAt: new Date(appliedAt),
      },
    });
  await request("create", day(1), ["gpu", "tpu"]);
  await request("resize", day(11), ["gpu"]);
  const tried = await request("tried", day(15), ["tpu"]);
  await db.applyRun.create({
    data: {
      requestId: tried.id,
      operation: "revert",
      status: "succeeded",
      fieldManager: "portal",
      finishedAt: new Date(day(17)),
    },
  });
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

describe("appliedRequestCosts", () => {
  it("charges each pool-hour to one request: the latest that applied the pool, until its revert", async () => {
    const rows = await appliedRequestCosts(getPrisma(), "nlp", now);
    const byTitle = Object.fromEntries(rows.map((r) => [r.title, r]));
    // create: gpu from the 1st to the 11th (240 h × $10) and tpu from the 1st to the 15th (336 h × $1).
    expect(byTitle.create!.costSinceAppliedUsd).toBe(2400 + 336);
    // resize: gpu from the 11th on (240 h × $10).
    expect(byTitle.resize!.costSinceAppliedUsd).toBe(2400);
    // tried: tpu from the 15th until its revert on the 17th (48 h × $1).
    expect(byTitle.tried).toMatchObject({ costSinceAppliedUsd: 48, revertedAt: new Date(day(17)).toISOString() });
    // Each pool-hour once: at most the pools' whole cost (gpu 480 h × $10, tpu 480 h × $1; tpu idles after the revert).
    expect(rows.reduce((sum, r) => sum + r.costSinceAppliedUsd, 0)).toBeLessThanOrEqual(4800 + 480);
  });
});

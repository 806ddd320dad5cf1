import "server-only";
import { getPrisma, type Db } from "@/lib/db/prisma.server";
import { type PortalUser, visibleTeamIds } from "@/lib/auth/permissions";
import { scopeFor } from "@/lib/costs/scope.server";
import { dailyByGroup } from "@/lib/costs/rollups/rollup-reads.server";
import { dataHealthSchema, healthShares } from "@/lib/costs/sources/data-health";
import { readCostSettings, usageCoverage, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";
import { effectiveBudgetUsd } from "@/lib/costs/demo-budget";
import { recommendationView } from "@/lib/costs/recommendations/recommendation-view";
import { listPlanHistory } from "@/lib/dr/list-plan-history.server";
import { drillsDue, teamMonths } from "./home-items";

const DAY_MS = 86_400_000;

/**
 * GPU spend since the month started, from the same source as /costs: demo rows stay in the table after an admin
 * configures Prometheus, so an unfiltered sum would add them in. Null when the cost setting cannot be read (/costs
 * says why).
 */
async function monthSpend(db: Db, source: string | null, monthStart: Date, now: Date, teams: string[] | null) {
  if (source === null) return null;
  return db.gpuUsageHourly.aggregate({
    where: { source, hour: { gte: monthStart, lt: now }, ...(teams ? { team: { in: teams } } : {}) },
    _sum: { costUsd: true, idleCostUsd: true },
  });
}

/** Each visible team's month against its budget (the 28 days before the month feed the weekday forecast). */
async function budgets(db: Db, source: string | null, teams: string[] | null, now: Date) {
  if (source === null) return null;
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const start = Math.min(monthStart, Math.floor(now.getTime() / DAY_MS) * DAY_MS - 28 * DAY_MS);
  const [rows, daily, known] = await Promise.all([
    db.team.findMany({
      where: teams ? { slug: { in: teams } } : {},
      select: { slug: true, name: true, monthlyBudgetUsd: true, budgetIsDemo: true, costLabelValues: true },
    }),
    dailyByGroup(db, source, "team", start, now.getTime() + DAY_MS, null),
    usageCoverage(db, source, now.getTime()),
  ]);
  // The same inputs as /costs: the team's label values, its effective budget and the source's coverage.
  return teamMonths(
    rows.map((t) => ({
      slug: t.slug,
      name: t.name,
      costLabelValues: t.costLabelValues,
      monthlyBudgetUsd: effectiveBudgetUsd(t, source),
    })),
    daily.map((d) => ({ team: d.group, day: d.day, costUsd: d.costUsd })),
    now,
    known ?? { from: now.getTime(), until: now.getTime() },
  );
}

/** The newest ingestion per source and how much of it could be attributed: what an admin checks first. */
async function dataHealth(db: Db) {
  const runs = await db.ingestionRun.findMany({
    orderBy: { startedAt: "desc" },
    take: 20,
    select: { id: true, source: true, status: true, startedAt: true, finishedAt: true, error: true, health: true },
  });
  const newest = runs.filter((r, i) => runs.findIndex((o) => o.source === r.source) === i);
  return newest.map((r) => {
    const health = dataHealthSchema.safeParse(r.health);
    return {
      source: r.source,
      status: r.status,
      at: r.finishedAt ?? r.startedAt,
      error: r.error,
      shares: health.success ? healthShares(health.data) : null,
      issues: health.success ? health.data.issues.length : 0,
    };
  });
}

async function drillOverview(db: Db, user: PortalUser, now: Date) {
  const plans = await db.drPlan.findMany({
    orderBy: [{ key: "asc" }, { version: "desc" }],
    select: { key: true, name: true, isTemplate: true, schedule: true, clusterTargetId: true },
  });
  const latest = plans.filter((p, i) => i === 0 || plans[i - 1]?.key !== p.key);
  const passed = await db.drillRun.groupBy({
    by: ["planId"],
    where: { mode: "live", status: "passed" },
    _max: { finishedAt: true },
  });
  const planKeyOf = new Map(
    (
      await db.drPlan.findMany({ where: { id: { in: passed.map((p) => p.planId) } }, select: { id: true, key: true } })
    ).map((p) => [p.id, p.key]),
  );
  const lastPassed = new Map<string, Date>();
  for (const p of passed) {
    const key = planKeyOf.get(p.planId);
    const at = p._max.finishedAt;
    if (key && at && (!lastPassed.has(key) || lastPassed.get(key)! < at)) lastPassed.set(key, at);
  }
  const due = drillsDue(
    latest.map((p) => ({
      key: p.key,
      name: p.name,
      isTemplate: p.isTemplate,
      schedule: p.schedule,
      boundToCluster: p.clusterTargetId !== null,
      lastPassedLiveAt: lastPassed.get(p.key) ?? null,
    })),
    now,
  );
  // The trend of the plan whose live drill ran last: one plan's targets, so the lines are comparable.
  const newestLive = await db.drillRun.findFirst({
    where: { mode: "live", status: { in: ["passed", "failed", "aborted"] } },
    orderBy: { createdAt: "desc" },
    select: { plan: { select: { key: true, name: true } } },
  });
  const trend = newestLive
    ? {
        planKey: newestLive.plan.key,
        planName: newestLive.plan.name,
        points: await listPlanHistory({ actor: user, planKey: newestLive.plan.key, mode: "live", limit: 30 }),
      }
    : null;
  return { due, trend };
}

/** What matters to each role on their home page, in one round of queries. `now` is passed in. */
export async function homeSummary({ actor: user, now }: { actor: PortalUser; now: Date }) {
  const db = getPrisma();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const role = user.role;
  const admin = role === "platform-admin";
  const requestTeams = visibleTeamIds(user, "request.read");
  const wantsCosts = role === "finance" || admin || role === "ml-engineer";
  const settings = wantsCosts ? await readCostSettings(db).catch(() => null) : null;
  const source = settings ? usageSourceOf(settings) : null;
  const costTeams = wantsCosts ? await scopeFor(user, db) : null;
  const [
    pendingApprovals,
    teamRequests,
    spend,
    teamBudgets,
    failedApplies,
    health,
    topSavings,
    drills,
    drillOverviewResult,
  ] = await Promise.all([
    admin
      ? db.request.findMany({
          where: { status: "pending_approval" },
          orderBy: { createdAt: "asc" },
          take: 10,
          include: { team: true },
        })
      : Promise.resolve([]),
    role === "ml-engineer" || admin
      ? db.request.findMany({
          where: admin ? { requesterId: user.id } : { teamId: { in: requestTeams ?? [] } },
          orderBy: { updatedAt: "desc" },
          take: 10,
          include: { team: true, clusterTarget: { select: { id: true, name: true } } },
        })
      : Promise.resolve([]),
    wantsCosts ? monthSpend(db, source, monthStart, now, costTeams) : Promise.resolve(null),
    wantsCosts ? budgets(db, source, costTeams, now) : Promise.resolve(null),
    admin
      ? db.request.findMany({
          where: { status: "apply_failed" },
          orderBy: { updatedAt: "desc" },
          take: 10,
          include: { team: true, applyRuns: { orderBy: { createdAt: "desc" }, take: 1, select: { error: true } } },
        })
      : Promise.resolve([]),
    admin ? dataHealth(db) : Promise.resolve([]),
    role === "finance" || admin
      ? db.recommendation.findMany({
          where: { state: "open", ...(costTeams ? { team: { in: costTeams } } : {}) },
          orderBy: { projectedSavingsUsd: "desc" },
          take: 5,
        })
      : Promise.resolve([]),
    role === "sre" || admin
      ? db.drillRun.findMany({ orderBy: { createdAt: "desc" }, take: 5, include: { plan: true, clusterTarget: true } })
      : Promise.resolve([]),
    role === "sre" ? drillOverview(db, user, now) : Promise.resolve(null),
  ]);
  // An engineer's clusters: the ones their team's requests target; without any, every registered cluster.
  const clusterIds = [...new Set(teamRequests.map((r) => r.clusterTargetId).filter((id): id is string => !!id))];
  const clusters =
    role === "ml-engineer" || role === "sre"
      ? await db.clusterTarget.findMany({
          where: role === "ml-engineer" && clusterIds.length ? { id: { in: clusterIds } } : {},
          orderBy: [{ isSandbox: "desc" }, { name: "asc" }],
          take: 3,
          select: { id: true, name: true, isSandbox: true },
        })
      : [];
  const savingsTeams = new Map(
    (
      await db.team.findMany({
        where: { slug: { in: topSavings.flatMap((r) => (r.team === null ? [] : [r.team])) } },
        select: { slug: true, name: true },
      })
    ).map((t) => [t.slug, t.name]),
  );
  return {
    pendingApprovals,
    teamRequests,
    /** Requests per status over the visible teams' ten newest. */
    requestCounts: teamRequests.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
      {},
    ),
    spendThisMonthUsd: spend?._sum.costUsd ?? null,
    idleThisMonthUsd: spend?._sum.idleCostUsd ?? null,
    costSourceIsDemo: source === "demo",
    teamBudgets,
    failedApplies: failedApplies.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      team: r.team.name,
      updatedAt: r.updatedAt,
      error: r.applyRuns[0]?.error ?? null,
    })),
    dataHealth: health,
    // The owning team by the name people know it, as the rest of the home page names teams.
    topSavings: topSavings.map((r) => ({
      ...recommendationView(r),
      teamName: r.team === null ? null : (savingsTeams.get(r.team) ?? r.team),
    })),
    drills,
    drillsDue: drillOverviewResult?.due ?? [],
    drillTrend: drillOverviewResult?.trend ?? null,
    clusters,
  };
}

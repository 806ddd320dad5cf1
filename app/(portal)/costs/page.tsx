import { requirePage } from "@/lib/auth/session.server";
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { costSummary, costTeamScope, teamCostsBothWays, teamsInData } from "@/lib/costs/rollups/cost-queries.server";
import { SharedIdleTable } from "@/components/costs/shared-idle-table";
import { listRecommendations } from "@/lib/costs/recommendations/list-recommendations.server";
import { recommendationView } from "@/lib/costs/recommendations/recommendation-view";
import { costQuerySchema } from "@/lib/costs/schema";
import { CostDashboard } from "@/components/costs/cost-dashboard";
import { RecommendationTable } from "@/components/costs/recommendation-table";
import Link from "next/link";
import { inferenceScalingRows } from "@/lib/costs/rollups/cost-metrics.server";
import { InferenceScalingTable } from "@/components/costs/inference-scaling-table";
import { DataHealthCard } from "@/components/costs/data-health-card";
import { latestDataHealth } from "@/lib/costs/sources/ingest-usage.server";

export const metadata = { title: "Costs" };
export const dynamic = "force-dynamic";

export default async function CostsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePage("costs.read");
  const sp = await searchParams;
  const parsed = costQuerySchema.safeParse({ days: sp.days, groupBy: sp.groupBy });
  const query = parsed.success ? parsed.data : costQuerySchema.parse({});
  const db = getPrisma();
  const teams = await costTeamScope(db, user);
  const now = Date.now();
  const [summary, recs, seededTeams, dataTeams, scaling, health, bothWays] = await Promise.all([
    costSummary(db, { ...query, teams, now }),
    listRecommendations(db, { teams, now }),
    db.team.findMany({
      where: teams ? { slug: { in: teams } } : {},
      orderBy: { name: "asc" },
      select: { slug: true, name: true },
    }),
    teamsInData(db, teams, now),
    inferenceScalingRows(db, now, teams),
    latestDataHealth(db, "prometheus"),
    teamCostsBothWays(db, { days: query.days, teams, now }),
  ]);
  const month = new Date(now).toISOString().slice(0, 7);
  // Registered teams and the teams the data names (a label value or namespace no one registered): every team with costs.
  const registered = new Set(seededTeams.map((t) => t.slug));
  const teamRows = [
    ...seededTeams,
    ...dataTeams.filter((slug) => !registered.has(slug)).map((slug) => ({ slug, name: slug })),
  ];
  return (
    <>
      <h1>GPU costs</h1>
      <p className="subtitle">
        Where GPU money goes, how much is idle, and what to change. {teams ? "Showing your teams only." : "All teams."}{" "}
        Report for {month}: <a href={`/api/v1/costs/report?month=${month}&format=md`}>Markdown</a> ·{" "}
        <a href={`/api/v1/costs/report?month=${month}&format=csv`}>CSV</a>
      </p>
      {teamRows.length > 0 && (
        <nav className="row mb-12" aria-label="Team pages">
          <span>Teams:</span>
          {teamRows.map((t) => (
            <Link key={t.slug} href={`/costs/teams/${t.slug}`}>
              {t.name}
            </Link>
          ))}
        </nav>
      )}
      {parsed.success || (
        <div className="alert alert-warning">Unknown range or grouping in the address: showing 30 days by team.</div>
      )}
      <DataHealthCard health={health} />
      <CostDashboard summary={summary} basePath="/costs" />
      <SharedIdleTable rows={bothWays} days={query.days} />
      <div className="mt-16">
        <InferenceScalingTable rows={scaling} />
      </div>
      <div className="mt-16">
        <RecommendationTable
          items={recs.map(recommendationView)}
          canManage={can(user, "costs.manage")}
          canRequest={can(user, "request.create") || can(user, "costs.manage")}
          initialOpenId={typeof sp.recommendation === "string" ? sp.recommendation : null}
        />
      </div>
    </>
  );
}

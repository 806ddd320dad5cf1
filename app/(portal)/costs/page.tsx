import { requirePage } from "@/lib/auth/session.server";
import { can } from "@/lib/auth/permissions";
import { getCostsOverview } from "@/lib/costs/get-costs-overview.server";
import { recommendationView } from "@/lib/costs/recommendations/recommendation-view";
import { costQuerySchema } from "@/lib/costs/schema";
import { SharedIdleTable } from "@/components/costs/shared-idle-table";
import { CostDashboard } from "@/components/costs/cost-dashboard";
import { RecommendationTable } from "@/components/costs/recommendation-table";
import Link from "next/link";
import { InferenceScalingTable } from "@/components/costs/inference-scaling-table";
import { DataHealthCard } from "@/components/costs/data-health-card";

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
  const now = Date.now();
  const { scoped, summary, recommendations, teamLinks, scaling, health, bothWays } = await getCostsOverview({
    actor: user,
    days: query.days,
    groupBy: query.groupBy,
    now,
  });
  const month = new Date(now).toISOString().slice(0, 7);
  const teamNames = Object.fromEntries(teamLinks.map((t) => [t.slug, t.name]));
  return (
    <>
      <h1>GPU costs</h1>
      <p className="subtitle">
        Where GPU money goes, how much is idle, and what to change. {scoped ? "Showing your teams only." : "All teams."}{" "}
        Report for {month}: <a href={`/api/v1/costs/report?month=${month}&format=md`}>Markdown</a> ·{" "}
        <a href={`/api/v1/costs/report?month=${month}&format=csv`}>CSV</a>
      </p>
      {teamLinks.length > 0 && (
        <nav className="row mb-12" aria-label="Team pages">
          <span>Teams:</span>
          {teamLinks.map((t) => (
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
      <CostDashboard summary={summary} basePath="/costs" teamNames={teamNames} />
      <SharedIdleTable rows={bothWays} days={query.days} teamNames={teamNames} />
      <div className="mt-16">
        <InferenceScalingTable rows={scaling} teamNames={teamNames} />
      </div>
      <div className="mt-16">
        <RecommendationTable
          items={recommendations.map(recommendationView)}
          canManage={can(user, "costs.manage")}
          canRequest={can(user, "request.create") || can(user, "costs.manage")}
          initialOpenId={typeof sp.recommendation === "string" ? sp.recommendation : null}
          teamNames={teamNames}
        />
      </div>
    </>
  );
}

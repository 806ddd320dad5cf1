import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session.server";
import { can } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { appliedRequestCosts, costSummary, costTeamScope, teamsInData } from "@/lib/costs/rollups/cost-queries.server";
import { listRecommendations } from "@/lib/costs/recommendations/list-recommendations.server";
import { recommendationView } from "@/lib/costs/recommendations/recommendation-view";
import { costQuerySchema } from "@/lib/costs/schema";
import { CostDashboard } from "@/components/costs/cost-dashboard";
import { RecommendationTable } from "@/components/costs/recommendation-table";
import { usd0 } from "@/components/costs/format";
import { UnitEconomicsTable } from "@/components/costs/unit-economics-table";
import { teamUnitEconomics } from "@/lib/costs/rollups/cost-metrics.server";
import { effectiveBudgetUsd } from "@/lib/costs/demo-budget";
import { readCostSettings, usageSourceOf } from "@/lib/costs/sources/ingest-usage.server";

export const metadata = { title: "Team costs" };
export const dynamic = "force-dynamic";

export default async function TeamCostsPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const viewer = await requirePage("costs.read"); // signed-out visitors learn nothing about which teams exist
  const db = getPrisma();
  const now = Date.now();
  const registered = await db.team.findUnique({ where: { slug } });
  // A team only the data names (a pod label no one registered) is shown to those who may read every team's costs.
  const scope = registered ? null : await costTeamScope(db, viewer);
  if (!registered && (scope !== null || !(await teamsInData(db, null, now)).includes(slug))) notFound();
  const team = registered ?? { name: slug, monthlyBudgetUsd: null, budgetIsDemo: false };
  const user = registered ? await requirePage("costs.read", { teamId: registered.id }) : viewer;
  const sp = await searchParams;
  const parsed = costQuerySchema.safeParse({ days: sp.days, groupBy: sp.groupBy ?? "workloadType" });
  const query = parsed.success ? parsed.data : costQuerySchema.parse({ groupBy: "workloadType" });
  const [summary, recs, applied, unitCosts] = await Promise.all([
    costSummary(db, { ...query, team: slug, teams: [slug], now }),
    listRecommendations(db, { teams: [slug], now }),
    appliedRequestCosts(db, slug, now),
    teamUnitEconomics(db, slug, now),
  ]);
  const budget = effectiveBudgetUsd(team, usageSourceOf(await readCostSettings(db)));
  return (
    <>
      <h1>{team.name}: GPU costs</h1>
      <p className="subtitle">
        Monthly budget:{" "}
        {budget === null
          ? team.budgetIsDemo
            ? "not set (the demo's budget is not compared with real data)"
            : "not set"
          : usd0(budget)}
        {!registered && " · found in the cost data, not registered as a portal team (an admin can add it under Teams)"}
      </p>
      <CostDashboard summary={summary} basePath={`/costs/teams/${slug}`} team={slug} />
      <UnitEconomicsTable rows={unitCosts} />
      <section className="card mt-16" aria-labelledby="applied-title">
        <h2 className="flush-top" id="applied-title">
          Applied requests: cost since applied
        </h2>
        <p className="help">
          The team&apos;s GPU cost in each request&apos;s node pools from its apply until it was reverted or a later
          request applied the same pool, so each pool-hour counts once.
        </p>
        {applied.length === 0 ? (
          <p className="empty">No applied requests for this team yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Applied</th>
                <th scope="col">Node pools</th>
                <th scope="col">Cost since applied</th>
                <th scope="col">Estimated / month</th>
              </tr>
            </thead>
            <tbody>
              {applied.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`/requests/${r.id}`}>REQ-{r.number}</a> {r.title}
                  </td>
                  <td>
                    {r.appliedAt.slice(0, 10)}
                    {r.revertedAt && <span className="help"> · reverted {r.revertedAt.slice(0, 10)}</span>}
                  </td>
                  <td>{r.nodePools.join(", ") || "none"}</td>
                  <td>{usd0(r.costSinceAppliedUsd)}</td>
                  <td>{usd0(r.estimatedMonthlyUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="mt-16">
        <RecommendationTable
          items={recs.map(recommendationView)}
          canManage={can(user, "costs.manage")}
          canRequest={can(user, "request.create") || can(user, "costs.manage")}
        />
      </div>
    </>
  );
}

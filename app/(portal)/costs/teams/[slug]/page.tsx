import { notFound } from "next/navigation";
import { requirePage } from "@/lib/auth/session.server";
import { can } from "@/lib/auth/permissions";
import { findCostTeam } from "@/lib/costs/find-cost-team.server";
import { getTeamCosts } from "@/lib/costs/get-team-costs.server";
import { recommendationView } from "@/lib/costs/recommendations/recommendation-view";
import { costQuerySchema } from "@/lib/costs/schema";
import { CostDashboard } from "@/components/costs/cost-dashboard";
import { RecommendationTable } from "@/components/costs/recommendation-table";
import { usd0 } from "@/components/costs/format";
import { UnitEconomicsTable } from "@/components/costs/unit-economics-table";

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
  const now = Date.now();
  const found = await findCostTeam({ actor: viewer, slug, now });
  if (!found) notFound();
  const user = found.teamId ? await requirePage("costs.read", { teamId: found.teamId }) : viewer;
  const sp = await searchParams;
  const parsed = costQuerySchema.safeParse({ days: sp.days, groupBy: sp.groupBy ?? "workloadType" });
  const query = parsed.success ? parsed.data : costQuerySchema.parse({ groupBy: "workloadType" });
  const { team, budgetUsd, summary, recommendations, applied, unitCosts } = await getTeamCosts({
    actor: user,
    slug,
    days: query.days,
    groupBy: query.groupBy,
    now,
  });
  return (
    <>
      <h1>{team.name}: GPU costs</h1>
      <p className="subtitle">
        Monthly budget:{" "}
        {budgetUsd === null
          ? team.budgetIsDemo
            ? "not set (the demo's budget is not compared with real data)"
            : "not set"
          : usd0(budgetUsd)}
        {!team.registered &&
          " · found in the cost data, not registered as a portal team (an admin can add it under Teams)"}
      </p>
      <CostDashboard
        summary={summary}
        basePath={`/costs/teams/${slug}`}
        team={slug}
        teamNames={{ [slug]: team.name }}
      />
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
          items={recommendations.map(recommendationView)}
          canManage={can(user, "costs.manage")}
          canRequest={can(user, "request.create") || can(user, "costs.manage")}
          teamNames={{ [slug]: team.name }}
        />
      </div>
    </>
  );
}

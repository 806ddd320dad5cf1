import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/lib/auth/permissions";
import { requirePage } from "@/lib/auth/session.server";
import { destructiveSteps, namespacesTouchedByPlan } from "@/lib/dr/describe-step";
import { getDrillPlan } from "@/lib/dr/get-drill-plan.server";
import { listDrillClusters } from "@/lib/dr/list-drill-clusters.server";
import { listPlanHistory } from "@/lib/dr/list-plan-history.server";
import { drStepTypes, planKey } from "@/lib/dr/schema";
import { DomainError } from "@/lib/errors/domain-error";
import { formatDuration, formatTargetMinutes } from "@/lib/dr/drill-verdict";

/** The run's recorded figure as the run page shows it (3s, 2m 05s), not a rounded minute count. */
const asDuration = (minutes: number | null) => (minutes === null ? "—" : formatDuration(Math.round(minutes * 60)));
import { DrillTrendChart } from "@/components/dr/drill-trend-chart";
import { PlanEditor } from "@/components/dr/plan-editor";
import { StartDrillButton } from "@/components/dr/start-drill-dialog";
import { DrillModeBadge, DrillVerdictBadge } from "@/components/dr/drill-run-summary";

export const metadata = { title: "DR plan" };
export const dynamic = "force-dynamic";

export default async function DrPlanPage({ params }: { params: Promise<{ key: string }> }) {
  const user = await requirePage("drill.read");
  const key = planKey.safeParse((await params).key);
  if (!key.success) notFound();
  const found = await getDrillPlan({ actor: user, planKey: key.data }).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "not_found") notFound();
    throw error;
  });
  const [clusters, history] = await Promise.all([
    listDrillClusters({ actor: user }),
    listPlanHistory({ actor: user, planKey: key.data }),
  ]);
  const { plan } = found;
  const touched = namespacesTouchedByPlan(plan);
  const live = history.filter((h) => h.mode === "live");
  const buttons = {
    planKey: plan.key,
    planName: plan.name,
    clusters,
    defaultClusterId: plan.scope.clusterTargetId,
    touchedNamespaces: touched,
    destructive: destructiveSteps(plan),
    canOverrideProtected: can(user, "drill.override-protected"),
  };
  return (
    <>
      <div className="row">
        <h1 className="flush">{plan.name}</h1>
        <span className="badge">v{found.version}</span>
        {found.isTemplate && <span className="badge badge-info">template</span>}
        <span className="spacer" />
        {can(user, "drill.run-dry") && clusters.length > 0 && <StartDrillButton {...buttons} mode="dry_run" />}
        {can(user, "drill.run-live") && clusters.length > 0 && <StartDrillButton {...buttons} mode="live" />}
      </div>
      <p className="subtitle">
        {plan.description} · RTO target {formatTargetMinutes(plan.rtoMinutes)} · RPO target{" "}
        {formatTargetMinutes(plan.rpoMinutes)} · namespaces {touched.join(", ")}
        {plan.allowRestoreWarnings ? " · restore warnings accepted" : ""}
      </p>

      <h2>What a run does, step by step</h2>
      <ol className="card" data-testid="plan-dry-run">
        {found.dryRun.map((line) => (
          <li className="mb-8" key={line.index}>
            <strong>{line.name}</strong>{" "}
            <span className="help">
              ({line.type}, timeout {line.timeoutSeconds} s{line.waitsForOperator ? ", waits for an operator" : ""})
            </span>
            <div>{line.wouldDo}</div>
            {line.validation && <div className="help">Validation: {line.validation}</div>}
            {line.rollback && <div className="help">Rollback: {line.rollback}</div>}
          </li>
        ))}
      </ol>

      {can(user, "drill.manage") && (
        <PlanEditor
          plan={JSON.parse(JSON.stringify(plan))}
          version={found.version}
          clusters={clusters.map((c) => ({ id: c.id, name: c.name }))}
          stepTypes={drStepTypes}
        />
      )}

      <h2>Trend</h2>
      <DrillTrendChart points={live} />

      <h2>History</h2>
      {history.length === 0 ? (
        <div className="card empty">No finished runs yet: start a dry run to see what the plan would do.</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Started</th>
              <th>Mode</th>
              <th>Verdict</th>
              <th>RTO / target</th>
              <th>RPO / target</th>
              <th>Plan version</th>
              <th>Cluster</th>
            </tr>
          </thead>
          <tbody>
            {[...history].reverse().map((h) => (
              <tr key={h.id} data-mode={h.mode}>
                <td>
                  <Link href={`/drills/runs/${h.id}`}>{h.at.replace("T", " ").slice(0, 19)} UTC</Link>
                </td>
                <td>
                  <DrillModeBadge mode={h.mode} /> · {h.trigger}
                </td>
                <td>
                  <DrillVerdictBadge mode={h.mode} status={h.status} />
                  <div className="help">{h.reason}</div>
                </td>
                <td>
                  {asDuration(h.rtoMinutes)} / {formatTargetMinutes(h.rtoTargetMinutes)}
                </td>
                <td>
                  {asDuration(h.rpoMinutes)} / {formatTargetMinutes(h.rpoTargetMinutes)}
                </td>
                <td>v{h.planVersion}</td>
                <td>{h.cluster}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

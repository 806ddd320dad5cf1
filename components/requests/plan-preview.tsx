"use client";
// The sticky live panel beside the form: the plan as it will be stored, or why it cannot be generated.
import dynamic from "next/dynamic";
import { Skeleton } from "@/components/ui/skeleton";
import { blockingFindings } from "@/lib/plans/viability/blocking-findings";
import { formatUsd } from "./request-form-model";
import type { LivePlan } from "./use-live-plan";

// The plan views (YAML and its library) load with the first generated plan, after the form is usable.
const PlanTabs = dynamic(() => import("./plan-tabs").then((m) => m.PlanTabs), {
  ssr: false,
  loading: () => <Skeleton lines={8} label="Loading the plan views" />,
});

export function PlanPreview({ live, fileStem }: { live: LivePlan; fileStem: string }) {
  return (
    <aside
      className="card request-preview"
      aria-label="Live plan preview"
      data-testid="plan-preview"
      data-state={live.state}
    >
      <div className="row mb-8">
        <h2 className="flush">Live preview</h2>
        <span className="spacer" />
        {live.state === "ok" && (
          <span className="help" aria-live="polite">
            <strong data-testid="preview-cost">{formatUsd(live.plan.cost_estimate.totals.expected)}</strong>/month
            expected · updated in <span data-testid="preview-ms">{live.ms.toFixed(0)}</span> ms
          </span>
        )}
      </div>
      {live.state === "pending" && <Skeleton lines={8} label="Generating the plan" />}
      {live.state === "invalid" && (
        <div className="alert alert-warning" role="status" data-testid="preview-error">
          <strong>The plan cannot be generated until these are fixed:</strong>
          <ul>
            {live.errors.map((e) => (
              <li key={`${e.path}:${e.message}`}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {live.state === "failed" && (
        <div className="alert alert-danger" role="status" data-testid="preview-error">
          <strong>The engine refused this plan:</strong> {live.message}
        </div>
      )}
      {live.state === "ok" && blockingFindings(live.plan.viability_report).length > 0 && (
        <div className="alert alert-danger" role="alert" data-testid="preview-blocking">
          <strong>This plan would not work once applied, so it cannot be submitted until these are fixed:</strong>
          <ul>
            {blockingFindings(live.plan.viability_report).map((f, i) => (
              <li key={`${f.check}-${i}`}>
                <code>
                  {f.object.kind}/{f.object.namespace ? `${f.object.namespace}/` : ""}
                  {f.object.name}
                </code>
                : {f.message} <em>Fix:</em> {f.fix}
              </li>
            ))}
          </ul>
        </div>
      )}
      {live.state === "ok" && <PlanTabs plan={live.plan} fileStem={fileStem} label="Generated plan" />}
    </aside>
  );
}

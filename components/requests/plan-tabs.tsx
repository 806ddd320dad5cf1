"use client";
// The views of a plan (YAML, Terraform, cost, requirements, security, viability), shared by the form's live panel and the detail page.
import dynamic from "next/dynamic";
import type { ReactNode } from "react";
import { Tabs, type TabItem } from "@/components/ui/tabs";
import type { StoredPlan } from "@/lib/requests/stored-plan";
import { CostSummary } from "./cost-summary";
import { RequirementsList } from "./requirements-list";
import { SecuritySummary } from "./security-summary";
import { ViabilitySummary } from "./viability-summary";
import { blockingFindings } from "@/lib/plans/viability/blocking-findings";

// The YAML and Terraform views carry the YAML library (~30 kB gzip): their code loads in its own chunk, when a tab
// shows them (the request page hands its YAML in rendered and loads the library only for the Terraform tab).
const ManifestsYamlView = dynamic(() => import("./manifests-yaml-view").then((m) => m.ManifestsYamlView));
const InfrastructureFiles = dynamic(() => import("./infrastructure-files").then((m) => m.InfrastructureFiles));

/** What the plan tabs show besides the manifests, which come apart (as objects in the form, as YAML on a request page). */
export type PlanViews = Pick<
  StoredPlan,
  "infrastructure_config" | "cost_estimate" | "requires" | "security_report" | "viability_report"
>;

/** `manifests`: how many objects the plan has, and the view of them (the YAML tab's content). */
export function planTabItems(plan: PlanViews, manifests: { count: number; view: ReactNode }): TabItem[] {
  const critical = plan.security_report.counts.critical;
  const blocking = plan.viability_report ? blockingFindings(plan.viability_report).length : 0;
  return [
    {
      id: "yaml",
      label: `YAML (${manifests.count})`,
      content: manifests.view,
    },
    { id: "terraform", label: "Terraform", content: <InfrastructureFiles config={plan.infrastructure_config} /> },
    { id: "cost", label: "Cost", content: <CostSummary cost={plan.cost_estimate} /> },
    // Plans stored before requirements were listed carry none: no tab then.
    ...(plan.requires
      ? [
          {
            id: "requires",
            label: `Requires (${plan.requires.length})`,
            content: <RequirementsList requires={plan.requires} />,
          },
        ]
      : []),
    {
      id: "security",
      label: (
        <>
          Security{" "}
          {critical > 0 ? (
            <span className="badge badge-danger">{critical} critical</span>
          ) : (
            <span className="badge">{plan.security_report.score}</span>
          )}
        </>
      ),
      content: <SecuritySummary report={plan.security_report} />,
    },
    // A stored plan may carry no viability report (StoredPlan): no tab then.
    ...(plan.viability_report
      ? [
          {
            id: "viability",
            label: (
              <>
                Viability{" "}
                {blocking > 0 ? (
                  <span className="badge badge-danger">{blocking} blocking</span>
                ) : (
                  <span className="badge">passes</span>
                )}
              </>
            ),
            content: <ViabilitySummary report={plan.viability_report} />,
          },
        ]
      : []),
  ];
}

export function PlanTabs({ plan, fileStem, label }: { plan: StoredPlan; fileStem: string; label: string }) {
  const manifests = {
    count: plan.deployment_manifests.length,
    view: <ManifestsYamlView manifests={plan.deployment_manifests} fileStem={fileStem} />,
  };
  return <Tabs items={planTabItems(plan, manifests)} label={label} />;
}

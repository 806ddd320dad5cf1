"use client";
// The four views of a plan (YAML, Terraform, cost, security), shared by the form's live panel and the detail page.
import { CodeBlock } from "@/components/ui/code-block";
import { Tabs, type TabItem } from "@/components/ui/tabs";
import type { PlanOutput } from "@/lib/plans/generate-plan";
import { CostSummary } from "./cost-summary";
import { InfrastructureFiles } from "./infrastructure-files";
import { manifestsYaml } from "./request-form-model";
import { SecuritySummary } from "./security-summary";

export function planTabItems(plan: PlanOutput, fileStem: string): TabItem[] {
  const critical = plan.security_report.counts.critical;
  return [
    { id: "yaml", label: `YAML (${plan.deployment_manifests.length})`, content: <CodeBlock code={manifestsYaml(plan.deployment_manifests)} filename={`${fileStem}.yaml`} label="Generated Kubernetes manifests" mime="application/yaml" /> },
    { id: "terraform", label: "Terraform", content: <InfrastructureFiles config={plan.infrastructure_config} /> },
    { id: "cost", label: "Cost", content: <CostSummary cost={plan.cost_estimate} /> },
    { id: "security", label: <>Security {critical > 0 ? <span className="badge badge-danger">{critical} critical</span> : <span className="badge">{plan.security_report.score}</span>}</>, content: <SecuritySummary report={plan.security_report} /> },
  ];
}

export function PlanTabs({ plan, fileStem, label }: { plan: PlanOutput; fileStem: string; label: string }) {
  return <Tabs items={planTabItems(plan, fileStem)} label={label} />;
}

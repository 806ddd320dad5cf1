// Golden files for representative plans: the manifests as YAML, reviewed like code. Regenerate with
// UPDATE_GOLDEN=1 npx vitest run --project unit lib/plans/golden.test.ts, then read the diff before committing.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generatePlan } from "./generate-plan";
import { planInputSchema, type PlanInputDraft } from "./schema";

const goldenDir = path.join(__dirname, "__golden__");
const update = process.env.UPDATE_GOLDEN === "1";

const cases: [string, PlanInputDraft][] = [
  [
    "cluster-setup-aws-training",
    { infrastructure_task: "cluster_setup", cloud_provider: "aws", workload_type: "training", training: { nodes: 2 } },
  ],
  [
    "auto-scaling-aws-inference",
    {
      infrastructure_task: "auto_scaling",
      cloud_provider: "aws",
      workload_type: "inference",
      scale_requirements: { min_replicas: 2, max_replicas: 50 },
    },
  ],
  ["auto-scaling-gcp-batch", { infrastructure_task: "auto_scaling", cloud_provider: "gcp", workload_type: "batch" }],
  [
    "security-hardening-azure-inference",
    { infrastructure_task: "security_hardening", cloud_provider: "azure", workload_type: "inference" },
  ],
  [
    "disaster-recovery-on-premise-streaming",
    { infrastructure_task: "disaster_recovery", cloud_provider: "on_premise", workload_type: "streaming" },
  ],
  [
    "cost-optimization-aws-inference",
    { infrastructure_task: "cost_optimization", cloud_provider: "aws", workload_type: "inference" },
  ],
];

const cases2: [string, PlanInputDraft][] = [
  [
    "cluster-setup-gcp-inference",
    { infrastructure_task: "cluster_setup", cloud_provider: "gcp", workload_type: "inference" },
  ],
  [
    "cluster-setup-azure-batch",
    { infrastructure_task: "cluster_setup", cloud_provider: "azure", workload_type: "batch" },
  ],
];

/** Terraform files (cluster_setup on a cloud) and runbooks, so they are reviewed like the manifests. */
async function renderExtras(draft: PlanInputDraft): Promise<{ tf?: string; md: string }> {
  const out = await generatePlan(planInputSchema.parse(draft));
  const cluster = out.infrastructure_config.cluster as { files?: Record<string, string> } | undefined;
  const tf =
    cluster?.files && Object.keys(cluster.files).some((f) => f.endsWith(".tf"))
      ? Object.entries(cluster.files)
          .map(([name, text]) => `# ---- ${name} ----\n${text}`)
          .join("\n")
      : undefined;
  return { tf, md: out.runbooks.join("\n---\n\n") };
}

async function render(draft: PlanInputDraft): Promise<string> {
  const out = await generatePlan(planInputSchema.parse(draft));
  const header = `# ${JSON.stringify(draft)}\n# cost per month (min / expected / max): ${out.cost_estimate.totals.minimum} / ${out.cost_estimate.totals.expected} / ${out.cost_estimate.totals.maximum}\n# security score ${out.security_report.score}, findings: ${out.security_report.findings.map((f) => `${f.severity} ${f.check} ${f.object.kind}/${f.object.name}`).join("; ") || "none"}\n`;
  return header + out.deployment_manifests.map((m) => stringify(m, { aliasDuplicateObjects: false })).join("---\n");
}

function compare(file: string, actual: string): void {
  if (update) fs.writeFileSync(file, actual);
  expect(fs.existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(fs.readFileSync(file, "utf8"));
}

describe("golden Terraform and runbooks", () => {
  it.each([...cases.slice(0, 1), ...cases2])("%s", async (name, draft) => {
    const { tf, md } = await renderExtras(draft);
    expect(tf).toBeDefined();
    compare(path.join(goldenDir, `${name}.tf.golden`), tf!);
    compare(path.join(goldenDir, `${name}.runbooks.md`), md);
  });
});

describe("golden plans", () => {
  it.each(cases)("%s matches its golden file", async (name, draft) => {
    const file = path.join(goldenDir, `${name}.yaml`);
    const actual = await render(draft);
    if (update) fs.writeFileSync(file, actual);
    expect(fs.existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toBe(fs.readFileSync(file, "utf8"));
  });
});

/** The recovery plans and the files their steps read, except the copies of the cluster plan (golden above). */
async function renderRecovery(draft: PlanInputDraft): Promise<string> {
  const out = await generatePlan(planInputSchema.parse(draft));
  const config = out.infrastructure_config as { recovery_plans: unknown; recovery_files: Record<string, string> };
  const files = Object.entries(config.recovery_files)
    .filter(([name]) => !/^(cluster|cluster-setup|disaster-recovery)\//.test(name))
    .map(([name, text]) => `# ---- ${name} ----\n${text}`)
    .join("\n");
  return `${stringify({ recovery_plans: config.recovery_plans, recovery_files: Object.keys(config.recovery_files) }, { lineWidth: 0 })}\n${files}`;
}

describe("golden recovery plans", () => {
  it.each<[string, PlanInputDraft]>([
    [
      "disaster-recovery-aws-training",
      { infrastructure_task: "disaster_recovery", cloud_provider: "aws", workload_type: "training" },
    ],
    [
      "disaster-recovery-on-premise-streaming",
      { infrastructure_task: "disaster_recovery", cloud_provider: "on_premise", workload_type: "streaming" },
    ],
  ])("%s", async (name, draft) => {
    compare(path.join(goldenDir, `${name}.recovery.golden`), await renderRecovery(draft));
  });
});

// Generates and validates the full plan (manifests, Terraform, cost, security report, runbooks) for all
// 80 task x cloud x workload combinations and prints the total and per-plan p50/p95. Target: all 80 within 2 s.
// Run: npx tsx bench/plans-all-combinations.ts
import { performance } from "node:perf_hooks";
import { generatePlan } from "@/lib/plans/generate-plan";
import { cloudProviders, infrastructureTasks, planInputSchema, workloadTypes } from "@/lib/plans/schema";

const combinations = infrastructureTasks.flatMap((task) =>
  cloudProviders.flatMap((cloud) => workloadTypes.map((workload) => ({ task, cloud, workload }))),
);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function pass(): Promise<{ total: number; perPlan: number[]; objects: number }> {
  const perPlan: number[] = [];
  let objects = 0;
  const start = performance.now();
  for (const { task, cloud, workload } of combinations) {
    const t0 = performance.now();
    const input = planInputSchema.parse({ infrastructure_task: task, cloud_provider: cloud, workload_type: workload });
    const plan = await generatePlan(input);
    perPlan.push(performance.now() - t0);
    objects += plan.deployment_manifests.length;
  }
  return { total: performance.now() - start, perPlan: perPlan.sort((a, b) => a - b), objects };
}

async function main(): Promise<void> {
  // The first pass includes loading the model packages (validators are imported lazily on first use).
  const cold = await pass();
  const warm = await pass();
  const fmt = (n: number) => n.toFixed(2);
  for (const [label, r] of [
    ["cold (first run, includes loading validators)", cold],
    ["warm", warm],
  ] as const) {
    console.log(
      `${label}: ${combinations.length} plans, ${r.objects} objects validated, total ${fmt(r.total)} ms, per plan p50 ${fmt(percentile(r.perPlan, 50))} ms, p95 ${fmt(percentile(r.perPlan, 95))} ms, max ${fmt(r.perPlan[r.perPlan.length - 1]!)} ms`,
    );
  }
  console.log(
    `target 2000 ms for all 80: ${cold.total <= 2000 ? "met" : "MISSED"} (cold), ${warm.total <= 2000 ? "met" : "MISSED"} (warm)`,
  );
}

void main();

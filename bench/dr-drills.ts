// Issue 6 benchmark: how much the drill runner itself costs. Runs live drills of a 4-step plan (verify backup,
// restore into a scratch namespace, rollout undo, health check) against the Kubernetes API double with a fresh
// database, and prints per drill the wall time, the measured RTO/RPO and the Kubernetes requests it made. Then renders the auditors' report of a 50-step run.
// Prints figures; asserts nothing.
// Run: npx tsx --conditions=react-server bench/dr-drills.ts   (PostgreSQL on 127.0.0.1:5432, or TEST_DATABASE_URL)
import { performance } from "node:perf_hooks";
import { getPrisma } from "@/lib/db/prisma.server";
import { renderDrillReportHtml, renderDrillReportMarkdown } from "@/lib/dr/drill-report";
import { collectEvidence, decideVerdict } from "@/lib/dr/drill-verdict";
import { startDrill } from "@/lib/dr/start-drill.server";
import type { StepRecord } from "@/lib/dr/step-record";
import { noEnqueue, setUpDrillFixture, sre } from "@/lib/dr/__fixtures__/drill-fixture";

const DRILLS = 8;

async function main(): Promise<void> {
  const fx = await setUpDrillFixture();
  await fx.addPlan("bench_plan", [
    { name: "Verify", type: "verify_backup", selector: "app.kubernetes.io/part-of=ml-platform", timeoutSeconds: 30 },
    {
      name: "Restore",
      type: "create_restore",
      backupFrom: "latest-verified",
      namespaceMapping: { "ml-inference": "ml-inference-drill" },
      timeoutSeconds: 30,
    },
    { name: "Undo", type: "rollout_undo", deployment: "llm-server", namespace: "ml-inference", timeoutSeconds: 30 },
    { name: "Health", type: "http_health_check", url: fx.health.url, timeoutSeconds: 30 },
  ]);
  const rows: string[] = [];
  for (let i = 0; i < DRILLS; i++) {
    const { runId } = await startDrill({
      actor: sre,
      input: { planKey: "bench_plan", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    fx.double.controls.clearRequests();
    const t = performance.now();
    const result = await fx.run(runId, { pollMs: 100 });
    const ms = performance.now() - t;
    const run = await getPrisma().drillRun.findUniqueOrThrow({ where: { id: runId } });
    rows.push(
      `drill ${i + 1}: ${result.outcome === "finished" ? result.status : result.outcome}, wall ${ms.toFixed(0)} ms, measured RTO ${run.measuredRtoSeconds} s, RPO ${run.measuredRpoSeconds} s, ${fx.double.controls.requests().length} Kubernetes requests`,
    );
  }
  console.log(
    `live drills (4 steps, poll 100 ms, double: workloads ready after 150 ms, Velero phase step 150 ms):\n  ${rows.join("\n  ")}`,
  );
  await fx.close();

  const start = new Date("2026-03-01T10:00:00Z");
  const steps: StepRecord[] = Array.from({ length: 50 }, (_, i) => ({
    index: i,
    name: `step ${i + 1}`,
    type: i % 2 ? "http_health_check" : "create_restore",
    state: "succeeded",
    startedAt: new Date(start.getTime() + i * 10_000),
    finishedAt: new Date(start.getTime() + i * 10_000 + 9_000),
    error: null,
    output:
      i % 2
        ? {
            health: {
              url: "http://h/health",
              status: 200,
              attempts: 2,
              passedAt: new Date(start.getTime() + i * 10_000 + 9_000).toISOString(),
            },
          }
        : {
            restore: {
              name: `r${i}`,
              namespace: "velero",
              backupName: "b",
              backupCreatedAt: "2026-03-01T09:30:00Z",
              phase: "Completed",
              errors: 0,
              warnings: 0,
            },
          },
  }));
  const t = performance.now();
  const N = 200;
  let bytes = 0;
  for (let i = 0; i < N; i++) {
    const outcome = decideVerdict(
      { rtoMinutes: 15, rpoMinutes: 60, allowRestoreWarnings: false },
      { startedAt: start, aborted: false },
      steps,
    );
    const input = {
      plan: { key: "k", name: "n", version: 1, rtoMinutes: 15, rpoMinutes: 60, allowRestoreWarnings: false },
      run: {
        id: "r",
        mode: "live" as const,
        status: outcome.status,
        trigger: "manual",
        startedBy: "sre",
        clusterName: "c",
        namespaces: ["ns"],
        startedAt: start,
        finishedAt: start,
        overrideReason: null,
        verdictReason: outcome.reason,
        measuredRtoSeconds: outcome.rto.seconds,
        measuredRpoSeconds: outcome.rpo.seconds,
      },
      steps,
      evidence: collectEvidence(steps),
      generatedAt: start,
    };
    bytes = renderDrillReportMarkdown(input).length + renderDrillReportHtml(input).length;
  }
  console.log(
    `verdict + Markdown + HTML report of a 50-step run: ${((performance.now() - t) / N).toFixed(2)} ms each (${bytes} bytes)`,
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

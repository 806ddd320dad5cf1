// Issue 14's acceptance on the 1-hour public LLM trace (Azure LLM inference 2023, conversation): at p99 SLOs
// of 2, 5 and 10 s (time to first token), the recommendation against the best fixed replica count that meets
// the SLO, per SLO and as a geometric mean (target: at most 0.90), with violation minutes beside the fixed
// count's and the reference's, and the oracle and clairvoyant bounds that say how much any controller could
// save. Prints figures; asserts nothing.
// Run: npx tsx bench/scaling-acceptance.ts
// What-if on the start-up delay (the default 180 s is a cold GPU node; a warm node with the image cached is
// about the model load alone): STARTUP_DELAY_SECONDS=60 npx tsx bench/scaling-acceptance.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseTrace } from "@/lib/scaling/parse-trace";
import { recommendProfile } from "@/lib/scaling/recommend-profile";
import { defaultServiceModel, type ServiceModel } from "@/lib/scaling/schema";

const tracePath = path.resolve(__dirname, "..", "..", "shared", "data", "azure-llm-inference-2023-conv.csv");
const parsed = parseTrace(fs.readFileSync(tracePath, "utf8"));
if (!parsed.ok) throw new Error(parsed.error);
const traffic = parsed.traffic;
const service: ServiceModel = {
  ...defaultServiceModel,
  startupDelaySeconds: Number(process.env.STARTUP_DELAY_SECONDS ?? defaultServiceModel.startupDelaySeconds),
};

const geomean = (values: number[]) => Math.exp(values.reduce((a, v) => a + Math.log(v), 0) / values.length);
const ratios: number[] = [];
const clairvoyantRatios: number[] = [];
let allMet = true;
console.log(
  `machine: ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(
  `trace: ${traffic.arrivals.length} requests over ${traffic.durationSeconds} s; start-up delay ${service.startupDelaySeconds} s`,
);
for (const sloP99Ms of [2000, 5000, 10000]) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const r = recommendProfile({ traffic, service, sloP99Ms });
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  const cpuMs = (used.user + used.system) / 1000;
  const fixed = r.bounds.bestFixed;
  if (!fixed) {
    console.log(`p99 ${sloP99Ms} ms: no fixed count meets the SLO`);
    allMet = false;
    continue;
  }
  ratios.push(fixed.ratio);
  clairvoyantRatios.push(r.bounds.clairvoyant.gpuHours / fixed.gpuHours);
  const noWorse =
    r.recommended.sloViolationMinutes <= Math.max(fixed.sloViolationMinutes, r.reference.sloViolationMinutes);
  allMet &&= noWorse && fixed.ratio <= 1 + 1e-9;
  console.log(
    `p99 ${sloP99Ms} ms: recommended ${r.recommended.gpuHours.toFixed(3)} GPU-h / best fixed (${fixed.replicas} replicas) ${fixed.gpuHours.toFixed(3)} GPU-h = ${fixed.ratio.toFixed(3)}; ` +
      `violation min: recommended ${r.recommended.sloViolationMinutes}, fixed ${fixed.sloViolationMinutes}, reference ${r.reference.sloViolationMinutes} (${r.reference.gpuHours.toFixed(1)} GPU-h); ` +
      `oracle ${r.bounds.oracle.gpuHours.toFixed(3)} GPU-h (${(r.bounds.oracle.gpuHours / fixed.gpuHours).toFixed(3)} x fixed), clairvoyant ${r.bounds.clairvoyant.gpuHours.toFixed(3)} GPU-h (${(r.bounds.clairvoyant.gpuHours / fixed.gpuHours).toFixed(3)} x fixed); ` +
      `${r.evaluations} simulations, ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU`,
  );
  console.log(`  profile: ${JSON.stringify({ ...r.recommended.profile, name: undefined })}`);
}
console.log(`geometric mean recommended / best fixed: ${geomean(ratios).toFixed(3)} (acceptance: at most 0.90)`);
console.log(
  `geometric mean clairvoyant / best fixed (the best a controller paying the start-up could do): ${geomean(clairvoyantRatios).toFixed(3)}`,
);
console.log(
  `no dearer than the fixed count and no more violation minutes than it or the reference at every SLO: ${allMet ? "yes" : "no"}`,
);

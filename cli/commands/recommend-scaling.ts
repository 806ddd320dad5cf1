// `npm run -s portal -- recommend-scaling (--trace trace.csv | --from-prometheus URL --namespace NS --model-server NAME [--hours 1]) --slo-p99-ms N [--slo-latency ttft|e2e] [--service service.json]
//  [--max-violation-minutes 0] [--series]`: searches for the cheapest scaling profile that keeps the minutes
// over the SLO within the target and prints { recommended, reference, oracleGpuHours, bounds } as JSON (the
// bounds: oracle, clairvoyant and best fixed count, each with the recommendation's ratio to it).
// Exit codes: 0 printed, 1 unexpected failure, 2 invalid input or a trace no profile within maxReplicas' limit
// can serve (the field and the fix on stderr).
import { recommendProfile, ReplicaLimitError, type ScalingRecommendation } from "@/lib/scaling/recommend-profile";
import type { CliCommand } from "./registry";
import { explainProfile } from "@/lib/scaling/explain-profile";
import {
  fail,
  loadService,
  loadTraffic,
  parseFlags,
  parsePositiveNumber,
  parseSloLatency,
  resultToJson,
  trafficFlags,
  trafficUsage,
} from "./scaling-input";

const usage = `usage: npm run -s portal -- recommend-scaling ${trafficUsage} --slo-p99-ms N [--slo-latency ttft|e2e] [--service service.json] [--max-violation-minutes 0] [--series]\n`;

async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(
    argv,
    [...trafficFlags, "slo-p99-ms", "slo-latency", "service", "max-violation-minutes"],
    ["series"],
  );
  if (!flags.ok) return fail("recommend-scaling", flags.message, usage);
  const slo = parsePositiveNumber("slo-p99-ms", flags.value["slo-p99-ms"]);
  if (!slo.ok) return fail("recommend-scaling", slo.message, usage);
  const rawTarget = flags.value["max-violation-minutes"] ?? "0";
  const target = Number(rawTarget);
  if (!Number.isInteger(target) || target < 0) {
    return fail(
      "recommend-scaling",
      `--max-violation-minutes: "${rawTarget}" is not a whole number of 0 or more`,
      usage,
    );
  }
  const service = loadService(flags.value.service);
  if (!service.ok) return fail("recommend-scaling", service.message, usage);
  const traffic = await loadTraffic(flags.value);
  if (!traffic.ok) return fail("recommend-scaling", traffic.message, usage);
  const sloLatency = parseSloLatency(flags.value["slo-latency"]);
  if (!sloLatency.ok) return fail("recommend-scaling", sloLatency.message, usage);
  let r: ScalingRecommendation;
  try {
    r = recommendProfile({
      traffic: traffic.value,
      service: service.value,
      sloP99Ms: slo.value,
      sloLatency: sloLatency.value,
      maxViolationMinutes: target,
      // CPU time of this process: on a shared machine, wall time would end the search after a few profiles
      // while others hold the cores, and the answer would depend on their load.
      clock: () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      },
    });
  } catch (error) {
    // The trace is valid but no profile within the replica limit can serve it: the input is what must change.
    if (error instanceof ReplicaLimitError) return fail("recommend-scaling", `--trace: ${error.message}`, usage);
    throw error;
  }
  const withSeries = flags.value.series === "true";
  const explain = (result: typeof r.recommended) =>
    explainProfile({
      profile: result.profile,
      result,
      traffic: traffic.value,
      service: service.value,
      sloP99Ms: slo.value,
      sloLatency: sloLatency.value,
    });
  const bound = (b: { gpuHours: number; ratio: number }) => ({
    gpuHours: Number(b.gpuHours.toFixed(4)),
    ratio: Number(b.ratio.toFixed(3)),
  });
  const output = {
    recommended: { ...resultToJson(r.recommended, withSeries), explanation: explain(r.recommended) },
    reference: { ...resultToJson(r.reference, withSeries), explanation: explain(r.reference) },
    oracleGpuHours: Number(r.oracleGpuHours.toFixed(4)),
    unavoidableViolationMinutes: r.unavoidableViolationMinutes,
    bounds: {
      oracle: bound(r.bounds.oracle),
      clairvoyant: bound(r.bounds.clairvoyant),
      bestFixed: r.bounds.bestFixed
        ? {
            replicas: r.bounds.bestFixed.replicas,
            sloViolationMinutes: r.bounds.bestFixed.sloViolationMinutes,
            ...bound(r.bounds.bestFixed),
          }
        : null,
    },
    // The margin the recommendation was held to on perturbed replays of the trace, and the minutes over the
    // SLO of it and of the best fixed count on each.
    robustness: r.robustness,
    serviceFloorMs: Number(r.serviceFloorMs.toFixed(1)),
    // The search's time budget ran out: a longer search might find a cheaper profile.
    searchTimedOut: r.timedOut,
    sloP99Ms: slo.value,
    sloLatency: sloLatency.value,
    service: service.value,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  return 0;
}

export const recommendScalingCommand: CliCommand = {
  summary: "recommend the cheapest scaling profile that meets a p99 latency SLO on a trace",
  run,
};

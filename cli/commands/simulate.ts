// `npm run -s portal -- simulate (--trace trace.csv | --from-prometheus URL --namespace NS --model-server NAME [--hours 1] [--allow host:port,cidr:port])
//  [--slo-p99-ms 2000] [--no-series]`: replays the trace through one scaling profile and prints the result as JSON.
// Exit codes: 0 printed, 1 unexpected failure, 2 invalid input (the field and the fix on stderr).
import { simulateProfile } from "@/lib/scaling/simulate";
import type { CliCommand } from "./registry";
import { explainProfile } from "@/lib/scaling/explain-profile";
import {
  fail,
  loadProfile,
  loadService,
  loadTraffic,
  parseFlags,
  parsePositiveNumber,
  parseSloLatency,
  resultToJson,
  trafficFlags,
  trafficUsage,
} from "./scaling-input";

const usage = `usage: npm run -s portal -- simulate ${trafficUsage} [--profile reference|profile.json] [--service service.json] [--slo-p99-ms 2000] [--slo-latency ttft|e2e] [--no-series]\n`;

async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, [...trafficFlags, "profile", "service", "slo-p99-ms", "slo-latency"], ["no-series"]);
  if (!flags.ok) return fail("simulate", flags.message, usage);
  const slo = parsePositiveNumber("slo-p99-ms", flags.value["slo-p99-ms"], 2000);
  if (!slo.ok) return fail("simulate", slo.message, usage);
  const profile = loadProfile(flags.value.profile);
  if (!profile.ok) return fail("simulate", profile.message, usage);
  const service = loadService(flags.value.service);
  if (!service.ok) return fail("simulate", service.message, usage);
  const traffic = await loadTraffic(flags.value);
  if (!traffic.ok) return fail("simulate", traffic.message, usage);
  const sloLatency = parseSloLatency(flags.value["slo-latency"]);
  if (!sloLatency.ok) return fail("simulate", sloLatency.message, usage);
  const input = {
    traffic: traffic.value,
    profile: profile.value,
    service: service.value,
    sloP99Ms: slo.value,
    sloLatency: sloLatency.value,
  };
  const result = simulateProfile(input);
  const explanation = explainProfile({ ...input, result });
  process.stdout.write(
    `${JSON.stringify({ sloP99Ms: slo.value, sloLatency: sloLatency.value, service: service.value, ...resultToJson(result, !flags.value["no-series"]), explanation }, null, 2)}\n`,
  );
  return 0;
}

export const simulateCommand: CliCommand = {
  summary: "replay a traffic trace through a KEDA/HPA scaling profile",
  run,
};

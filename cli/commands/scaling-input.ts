// Shared input handling of the scaling commands (simulate, recommend-scaling): flags, the trace file,
// the profile and service model files, and the JSON shape of a simulation result.
import fs from "node:fs";
import { parseAllowEntry } from "@/lib/net/url-policy";
import { latencyKinds, type LatencyKind } from "@/lib/scaling/metric-definitions";
import { parseTrace, maxTraceBytes } from "@/lib/scaling/parse-trace";
import {
  builtInProfiles,
  defaultServiceModel,
  describeIssues,
  scalingProfileSchema,
  serviceModelSchema,
  type ScalingProfile,
  type ServiceModel,
} from "@/lib/scaling/schema";
import type { SimulationResult } from "@/lib/scaling/simulate";
import type { Traffic } from "@/lib/scaling/traffic";

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseFlags(
  argv: readonly string[],
  known: readonly string[],
  booleans: readonly string[] = [],
): Loaded<Record<string, string>> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) return { ok: false, message: `unexpected argument "${arg}"` };
    const [name, inline] = arg.includes("=") ? arg.slice(2).split(/=(.*)/s, 2) : [arg.slice(2), undefined];
    if (booleans.includes(name)) {
      flags[name] = "true";
      continue;
    }
    if (!known.includes(name))
      return {
        ok: false,
        message: `--${name} is not an option: use ${[...known, ...booleans].map((k) => `--${k}`).join(", ")}`,
      };
    const value = inline ?? argv[++i];
    if (value === undefined) return { ok: false, message: `--${name} needs a value` };
    flags[name] = value;
  }
  return { ok: true, value: flags };
}

export function loadTrace(file: string | undefined): Loaded<Traffic> {
  if (!file)
    return {
      ok: false,
      message:
        "--trace: missing: give a CSV file (TIMESTAMP,ContextTokens,GeneratedTokens or timestamp,requests_per_second)",
    };
  let text: string;
  try {
    if (fs.statSync(file).size > maxTraceBytes)
      return {
        ok: false,
        message: `--trace: ${file} is larger than ${maxTraceBytes / 1024 / 1024} MiB: cut it to a shorter window`,
      };
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    return {
      ok: false,
      message: `--trace: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const parsed = parseTrace(text);
  return parsed.ok ? { ok: true, value: parsed.traffic } : { ok: false, message: `--trace: ${file}: ${parsed.error}` };
}

const prometheusFlags = ["from-prometheus", "namespace", "model-server", "hours", "allow"] as const;
export const trafficFlags: readonly string[] = ["trace", ...prometheusFlags];
export const trafficUsage =
  "(--trace trace.csv | --from-prometheus URL --namespace NS --model-server NAME [--hours 1] [--allow host:port,cidr:port])";

/**
 * The traffic to replay: a CSV trace (--trace), or a deployment's request rate over the last --hours from a
 * Prometheus (--from-prometheus), fetched under the portal's URL policy with --allow as the allow-list: its
 * host:port must be listed, and metadata or link-local addresses are refused whatever is listed.
 */
export async function loadTraffic(flags: Record<string, string>, now = Date.now()): Promise<Loaded<Traffic>> {
  const url = flags["from-prometheus"];
  if (url === undefined) {
    const stray = prometheusFlags.find((f) => flags[f] !== undefined);
    if (stray) return { ok: false, message: `--${stray}: only with --from-prometheus URL` };
    return loadTrace(flags.trace);
  }
  if (flags.trace !== undefined)
    return { ok: false, message: "--trace and --from-prometheus: give one traffic source, not both" };
  for (const f of ["namespace", "model-server"] as const) {
    if (!flags[f])
      return {
        ok: false,
        message: `--${f}: missing: give the deployment's ${f === "namespace" ? "namespace (e.g. ml-inference)" : "model server's Service name (e.g. model-server)"}`,
      };
  }
  const hours = Number(flags.hours ?? "1");
  if (!Number.isInteger(hours) || hours < 1 || hours > 168)
    return { ok: false, message: `--hours: "${flags.hours}" is not a whole number of hours from 1 to 168` };
  const allow = (flags.allow ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  for (const entry of allow) {
    const parsed = parseAllowEntry(entry);
    if (!parsed.ok) return { ok: false, message: `--allow: ${parsed.reason}` };
  }
  // Loaded only here: it reaches the network, and the other commands have no use for it.
  const { fetchRequestRateTraffic } = await import("@/lib/scaling/request-rate-history.server");
  const end = Math.floor(now / 60_000) * 60_000;
  try {
    return {
      ok: true,
      value: await fetchRequestRateTraffic({
        prometheusUrl: url,
        allow,
        fix: "add it to --allow",
        namespace: flags.namespace ?? "",
        service: flags["model-server"] ?? "",
        start: end - hours * 3_600_000,
        end,
      }),
    };
  } catch (error) {
    return { ok: false, message: `--from-prometheus: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function readJson(flag: string, file: string): Loaded<unknown> {
  try {
    if (fs.statSync(file).size > 1024 * 1024)
      return { ok: false, message: `--${flag}: ${file} is larger than 1 MB: check the file` };
    return { ok: true, value: JSON.parse(fs.readFileSync(file, "utf8")) };
  } catch (error) {
    return {
      ok: false,
      message: `--${flag}: cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

export function loadProfile(value: string | undefined): Loaded<ScalingProfile> {
  const name = value ?? "reference";
  if (builtInProfiles[name]) return { ok: true, value: builtInProfiles[name] };
  const json = readJson("profile", name);
  if (!json.ok) return json;
  const parsed = scalingProfileSchema.safeParse(json.value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: describeIssues(parsed.error, "profile") };
}

export function loadService(file: string | undefined): Loaded<ServiceModel> {
  if (!file) return { ok: true, value: defaultServiceModel };
  const json = readJson("service", file);
  if (!json.ok) return json;
  const parsed = serviceModelSchema.safeParse(json.value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: describeIssues(parsed.error, "service") };
}

export function parsePositiveNumber(flag: string, value: string | undefined, fallback?: number): Loaded<number> {
  if (value === undefined) {
    return fallback === undefined
      ? { ok: false, message: `--${flag}: missing: give a number such as 2000` }
      : { ok: true, value: fallback };
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    return { ok: false, message: `--${flag}: "${value}" is not a number above 0: give e.g. 2000` };
  return { ok: true, value: n };
}

const round = (n: number, digits: number) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

// The printed shape of one profile's result; the replica series only when asked for.
export function resultToJson(result: SimulationResult, withSeries: boolean) {
  return {
    profile: result.profile,
    gpuHours: round(result.gpuHours, 4),
    costUsd: round(result.costUsd, 2),
    p50LatencyMs: round(result.p50LatencyMs, 1),
    p99LatencyMs: round(result.p99LatencyMs, 1),
    sloViolationMinutes: result.sloViolationMinutes,
    scaleEvents: result.scaleEvents,
    requests: result.requests,
    unservedRequests: result.unservedRequests,
    failedRequests: result.failedRequests,
    ...(withSeries
      ? {
          series: result.series.map((s) => ({
            t: s.t,
            replicas: s.replicas,
            readyReplicas: s.readyReplicas,
            demandRps: round(s.demandRps, 3),
            capacityRps: round(s.capacityRps, 3),
            queueDepth: s.queueDepth,
            p99LatencyMs: round(s.p99LatencyMs, 1),
            gpuUtilizationPercent: round(s.gpuUtilizationPercent, 1),
          })),
        }
      : {}),
  };
}

export function parseSloLatency(value: string | undefined): Loaded<LatencyKind> {
  if (value === undefined) return { ok: true, value: "ttft" };
  if ((latencyKinds as readonly string[]).includes(value)) return { ok: true, value: value as LatencyKind };
  return { ok: false, message: `--slo-latency: "${value}" is not ttft (time to first token) or e2e (end-to-end)` };
}

export function fail(command: string, message: string, usage: string): number {
  process.stderr.write(`${command}: ${message.split("\n").join(`\n${command}: `)}\n${usage}`);
  return 2;
}

// Why a profile holds the replicas it holds, in words a person can act on, and the floor below which no
// latency threshold can be met.
import { metricDefinition, type LatencyKind } from "./metric-definitions";
import { percentileOfSorted } from "./percentile";
import { aloneE2eSeconds, aloneTtftSeconds, concurrentRequests, meanHoldSeconds } from "./serving-model";
import type { ScalingProfile, ServiceModel } from "./schema";
import type { SimulationResult } from "./simulate";
import type { Traffic } from "./traffic";

// The p99 latency (ms) of the trace's requests served alone on an idle replica: prefill (and for end-to-end
// latency the decode) with no queueing. No replica count brings the latency below it.
export function serviceFloorMs(traffic: Traffic, service: ServiceModel, latency: LatencyKind): number {
  const n = traffic.arrivals.length;
  if (n === 0) return 0;
  const alone = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (service.kind === "llm") {
      const context = traffic.contextTokens?.[i] ?? service.defaultContextTokens;
      const generated = traffic.generatedTokens?.[i] ?? service.defaultGeneratedTokens;
      alone[i] =
        1000 * (latency === "ttft" ? aloneTtftSeconds(service, context) : aloneE2eSeconds(service, context, generated));
    } else alone[i] = (1000 * service.maxConcurrentRequests) / service.requestsPerSecondPerReplica;
  }
  return percentileOfSorted(alone.sort(), 0.99);
}

// "1,470 ms", "12.5 s", "> 1 h" (a latency past an hour is a request never served in the replay).
export function formatLatency(ms: number): string {
  if (!Number.isFinite(ms) || ms >= 3_600_000) return "> 1 h";
  if (ms < 10_000) return `${Math.round(ms).toLocaleString("en-US")} ms`;
  if (ms < 600_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

export interface ExplainInput {
  profile: ScalingProfile;
  result: SimulationResult;
  traffic: Traffic;
  service: ServiceModel;
  sloP99Ms: number;
  sloLatency: LatencyKind;
}

// Sentences naming what drives the profile's replica count, most consequential first.
export function explainProfile({ profile, result, traffic, service, sloP99Ms, sloLatency }: ExplainInput): string[] {
  const out: string[] = [];
  const latencyTrigger = profile.triggers.find((t) => t.type === "p99_latency_ms");
  const definition = metricDefinition("p99_latency_ms", service.modelServer, sloLatency);
  const triggerLatency =
    definition.simulated.kind === "latency-quantile" || definition.simulated.kind === "latency-mean"
      ? definition.simulated.latency
      : sloLatency;
  const floor = serviceFloorMs(traffic, service, triggerLatency);
  const floorName = triggerLatency === "ttft" ? "prefill floor" : "service floor";
  if (latencyTrigger && latencyTrigger.threshold <= floor) {
    out.push(
      `The ${formatLatency(latencyTrigger.threshold)} latency trigger is below the ${formatLatency(floor)} ${floorName} (the p99 ${triggerLatency === "ttft" ? "time to first token" : "latency"} of a request served alone), so it is always exceeded and keeps asking for more replicas, up to maxReplicas (${profile.maxReplicas}).`,
    );
  }
  const atMax = result.series.length
    ? result.series.filter((s) => s.replicas >= profile.maxReplicas).length / result.series.length
    : 0;
  if (atMax >= 0.5 && profile.maxReplicas > profile.minReplicas) {
    out.push(
      `The deployment sits at maxReplicas (${profile.maxReplicas}) ${Math.round(atMax * 100)} % of the time: a trigger keeps asking for more.`,
    );
  }
  const gpuTrigger = profile.triggers.find((t) => t.type === "gpu_utilization");
  if (gpuTrigger) {
    out.push(
      `GPU utilization is DCGM's busy time, near 100 % whenever any sequence is decoding: a ${gpuTrigger.threshold} % target asks for replicas until the GPUs are idle ${100 - gpuTrigger.threshold} % of the time, not until the batch has room.`,
    );
  }
  out.push(...explainLeadingTriggers(profile, traffic, service));
  if (profile.minReplicas === 0) {
    out.push(
      "minReplicas 0: every trigger reads the model server's pods, so with no pod nothing can wake the deployment; requests arriving then are never served.",
    );
  }
  const sloFloor = triggerLatency === sloLatency ? floor : serviceFloorMs(traffic, service, sloLatency);
  if (sloP99Ms <= sloFloor) {
    out.push(
      `The SLO (${formatLatency(sloP99Ms)}) is at or below the ${formatLatency(sloFloor)} ${sloLatency === "ttft" ? "prefill floor" : "service floor"}: some minutes violate it whatever the replica count, and no recommendation can be judged against it; raise the SLO.`,
    );
  }
  if (result.p99LatencyMs >= 3_600_000)
    out.push("p99 latency is > 1 h: some requests were never served in the replay.");
  return out;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits)).toLocaleString("en-US");

// The leading indicators size the deployment against one replica's capacity on this trace (the sequences it
// runs at once, the requests per second it completes full): a threshold under that capacity holds spare
// replicas all hour in proportion, one over it only fires once requests queue.
function explainLeadingTriggers(profile: ScalingProfile, traffic: Traffic, service: ServiceModel): string[] {
  const out: string[] = [];
  const slots = concurrentRequests(traffic, service);
  const hold = meanHoldSeconds(traffic, service);
  const perReplicaRps = slots / hold;
  const series = (t: ScalingProfile["triggers"][number]["type"]) =>
    metricDefinition(t, service.modelServer).series.join(" + ");
  const headroom = (threshold: number, capacity: number) =>
    threshold < capacity
      ? `so the deployment holds about ${round(capacity / threshold, 1)}× the replicas that would run full: headroom for the next burst, paid all hour.`
      : threshold > capacity
        ? `so it fires only past what a replica serves, once requests queue and latency has already risen.`
        : `so it asks for replicas as they fill.`;
  for (const trigger of profile.triggers) {
    if (trigger.type === "concurrency_per_replica") {
      out.push(
        `The concurrency trigger (${series(trigger.type)}) asks for one replica per ${round(trigger.threshold, 2)} requests running or waiting; a replica of this model runs ${slots} at once (the KV cache and max_num_seqs bound it), ${headroom(trigger.threshold, slots)}`,
      );
    } else if (trigger.type === "arrival_rate_per_replica") {
      out.push(
        `The request-rate trigger (${series(trigger.type)}) counts completions, which trail arrivals by a request's duration (about ${round(hold, 1)} s on this trace); it asks for one replica per ${round(trigger.threshold, 2)} requests/s, and a full replica completes about ${round(perReplicaRps, 2)} requests/s, ${headroom(trigger.threshold, perReplicaRps)}`,
      );
    } else if (trigger.type === "kv_cache_usage_percent") {
      out.push(
        trigger.threshold >= 95
          ? `The KV-cache trigger (${series(trigger.type)}) at ${trigger.threshold} %: vLLM admits requests until the cache is full, so it reads near 100 % only once a replica is full and requests queue; it adds replicas no earlier than the queue would.`
          : `The KV-cache trigger (${series(trigger.type)}) at ${trigger.threshold} % asks for replicas until every replica's cache is ${100 - trigger.threshold} % empty on average: vLLM fills the cache before it queues, so that share of every replica stays unused.`,
      );
    }
  }
  return out;
}

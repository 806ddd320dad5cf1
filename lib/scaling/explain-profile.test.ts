import { describe, expect, it } from "vitest";
import { explainProfile } from "./explain-profile";
import { defaultServiceModel, scalingProfileSchema, type ScalingProfile } from "./schema";
import { concurrentRequests, meanHoldSeconds } from "./serving-model";
import { simulateProfile } from "./simulate";
import { generateSyntheticTrace } from "./synthetic-trace";

const traffic = generateSyntheticTrace({ seed: 3, durationSeconds: 900, meanRequestsPerSecond: 2, bursts: 1 });
const service = defaultServiceModel;
const slots = concurrentRequests(traffic, service);
const perReplicaRps = slots / meanHoldSeconds(traffic, service);

function explain(triggers: ScalingProfile["triggers"]): string[] {
  const profile = scalingProfileSchema.parse({ name: "p", minReplicas: 1, maxReplicas: 8, triggers });
  const result = simulateProfile({ traffic, profile, service, sloP99Ms: 5000, detail: false });
  return explainProfile({ profile, result, traffic, service, sloP99Ms: 5000, sloLatency: "ttft" });
}

describe("explainProfile on the leading-indicator triggers", () => {
  it("a concurrency threshold at half a replica's batch holds about twice the replicas, naming the gauges", () => {
    const [sentence] = explain([{ type: "concurrency_per_replica", threshold: slots / 2 }]);
    expect(sentence).toContain("vllm:num_requests_running + vllm:num_requests_waiting");
    expect(sentence).toContain(`runs ${slots} at once`);
    expect(sentence).toContain("about 2× the replicas");
  });

  it("a concurrency threshold above the batch fires only once requests queue", () => {
    const [sentence] = explain([{ type: "concurrency_per_replica", threshold: slots + 5 }]);
    expect(sentence).toContain("fires only past what a replica serves");
  });

  it("a request-rate threshold is set against what a full replica completes, read from the success counter", () => {
    const [sentence] = explain([{ type: "arrival_rate_per_replica", threshold: perReplicaRps / 4 }]);
    expect(sentence).toContain("vllm:request_success_total");
    expect(sentence).toContain("about 4× the replicas");
  });

  it("a KV-cache target below full keeps that share of every cache empty; near full it waits for the queue", () => {
    expect(explain([{ type: "kv_cache_usage_percent", threshold: 60 }])[0]).toContain("40 % empty");
    expect(explain([{ type: "kv_cache_usage_percent", threshold: 98 }])[0]).toContain("no earlier than the queue");
  });
});

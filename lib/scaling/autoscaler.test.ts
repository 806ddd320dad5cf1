// Worked examples of the HPA (pkg/controller/podautoscaler/horizontal.go) and KEDA's scale loop, each
// derived by hand from the controller's source in the comment above it. The queue_depth trigger with
// threshold 1 makes the metric equal to the replicas the HPA is asked for (ceil(q / 1) = q).
import { describe, expect, it } from "vitest";
import { Autoscaler, type TriggerMetrics } from "./autoscaler";
import { scalingProfileSchema, type ScalingProfileInput } from "./schema";

// The leading-indicator triggers read 0 unless a test sets them.
const idle = { concurrency_per_replica: 0, arrival_rate_per_replica: 0, kv_cache_usage_percent: 0 };
const queue = (q: number): TriggerMetrics => ({ ...idle, queue_depth: q, gpu_utilization: 0, p99_latency_ms: 0 });

function profile(overrides: Partial<ScalingProfileInput> = {}) {
  return scalingProfileSchema.parse({
    name: "t",
    minReplicas: 1,
    maxReplicas: 100,
    pollingInterval: 15,
    cooldownPeriod: 60,
    triggers: [{ type: "queue_depth", threshold: 1 }],
    ...overrides,
  });
}

// Runs HPA syncs every 15 s from t=0, starting at `start` replicas, asking for `want(t)`; returns the count
// after each sync.
function run(p: ReturnType<typeof profile>, start: number, want: (t: number) => number, syncs: number): number[] {
  const hpa = new Autoscaler(p, 0);
  let current = start;
  const out: number[] = [];
  for (let i = 0; i < syncs; i++) {
    const t = i * 15;
    current = hpa.hpaSync(t, current, queue(want(t))) ?? current;
    out.push(current);
  }
  return out;
}

describe("HPA without behavior (KEDA passes none: the controller's legacy path)", () => {
  // normalizeDesiredReplicas -> convertDesiredReplicasWithRules: scaleUpLimit = max(2 x current, 4).
  // t=0: current 1 -> 4; then 8, 16, 32; at t=60 the want of 50 is under the limit 64.
  it("scales up to at most max(2 x current, 4) per sync", () => {
    expect(run(profile(), 1, () => 50, 5)).toEqual([4, 8, 16, 32, 50]);
  });

  // stabilizeRecommendation (legacy): the largest recommendation not older than the 5-minute
  // --horizontal-pod-autoscaler-downscale-stabilization; nothing is recorded before the first sync, so a new
  // HPA may shrink at once. Want 10 at t = 0..45, then 2: the 10 of t=45 counts while 45 >= now - 300, up to
  // t=345; at t=360 it is older than the cutoff and the count drops to 2 at once (no rate limit down).
  it("holds a scale-down for 300 s after the last higher recommendation, then drops at once", () => {
    const counts = run(profile(), 10, (t) => (t < 60 ? 10 : 2), 26);
    expect(counts.slice(0, 24)).toEqual(Array(24).fill(10)); // t = 0 .. 345
    expect(counts[24]).toBe(2); // t = 360
    expect(run(profile(), 10, () => 2, 1)).toEqual([2]);
  });
});

describe("HPA with a behavior that states nothing (the API server fills Kubernetes' defaults)", () => {
  // GenerateHPAScaleUpRules: Pods 4 / 15 s and Percent 100 / 15 s, selectPolicy Max.
  // t=0: current 1, no events: Pods 1+4 = 5, Percent ceil(1*2) = 2 -> limit 5.
  // t=15: the +4 event at t=0 is not strictly after the cutoff 15-15 = 0, so the period starts at 5:
  //       Pods 9, Percent 10 -> limit 10. t=30: 20. t=45: 40 (Percent now wins). t=60: want 50 reached.
  it("scales up by max(2 x current, current + 4) per sync", () => {
    expect(run(profile({ behavior: {} }), 1, () => 50, 5)).toEqual([5, 10, 20, 40, 50]);
  });

  // Scale down: stabilization 300 s (controller default), then Percent 100 / 15 s.
  // maybeInitScaleDownStabilizationWindow stores {t=0, 10}; every sync asks for 2. The down limit is the
  // max of recommendations strictly newer than now - 300, which includes the initial 10 until t=300.
  it("holds a scale-down for the 300 s window, then drops at once", () => {
    const counts = run(profile({ behavior: {} }), 10, () => 2, 22);
    expect(counts.slice(0, 20)).toEqual(Array(20).fill(10)); // t = 0 .. 285
    expect(counts[20]).toBe(2); // t = 300
  });
});

describe("what the HPA reads", () => {
  const latency = (ms: number): TriggerMetrics => ({ ...idle, queue_depth: 0, gpu_utilization: 0, p99_latency_ms: ms });
  const latencyProfile = profile({ triggers: [{ type: "p99_latency_ms", threshold: 1000 }], behavior: {} });

  // getUsageRatioReplicaCount multiplies a Value target's ratio by the ready pods: 6 replicas of which 2 are
  // still starting, latency at 2x the target: ceil(2 x 4) = 8, not ceil(2 x 6) = 12.
  it("multiplies a Value target's ratio by ready pods, not spec replicas", () => {
    expect(new Autoscaler(latencyProfile, 0).hpaSync(0, 6, latency(2000), 4)).toBe(8);
  });

  // computeReplicasForMetrics: a metric that cannot be read fails the computation when all fail, or when the
  // others would scale down; with others scaling up, the largest readable proposal wins.
  it("changes nothing when every metric is missing, and never shrinks on the others while one is missing", () => {
    const both = profile({
      triggers: [
        { type: "queue_depth", threshold: 1 },
        { type: "p99_latency_ms", threshold: 1000 },
      ],
      behavior: {},
    });
    expect(
      new Autoscaler(both, 0).hpaSync(0, 4, {
        ...idle,
        queue_depth: Number.NaN,
        gpu_utilization: 0,
        p99_latency_ms: Number.NaN,
      }),
    ).toBeNull();
    expect(
      new Autoscaler(both, 0).hpaSync(400, 4, {
        ...idle,
        queue_depth: 1,
        gpu_utilization: 0,
        p99_latency_ms: Number.NaN,
      }),
    ).toBeNull();
    expect(
      new Autoscaler(both, 0).hpaSync(0, 4, {
        ...idle,
        queue_depth: 7,
        gpu_utilization: 0,
        p99_latency_ms: Number.NaN,
      }),
    ).toBe(7);
  });
});

describe("behavior policies", () => {
  // The reference design's scale down: Percent 10 per 60 s after 300 s stabilization.
  // At t=300 (current 10): trunc(10 * 0.9) = 9. Until the event at t=300 leaves the 60 s period (strictly
  // newer than now - 60 counts), the period starts at 10 again: limit 9 -> no change at 315..345.
  // t=360: period start 9 -> trunc(8.1) = 8. t=420: trunc(7.2) = 7.
  it("Percent scale-down truncates and counts changes inside periodSeconds", () => {
    const p = profile({
      behavior: {
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
      },
    });
    const counts = run(p, 10, () => 1, 30);
    expect(counts[19]).toBe(10); // t = 285
    expect(counts.slice(20, 29)).toEqual([9, 9, 9, 9, 8, 8, 8, 8, 7]); // t = 300 .. 420
  });

  // selectPolicy Min picks the least permissive policy: from 10, Pods 4 -> 14 and Percent 100 -> 20: 14.
  it.each([
    ["Max", 20],
    ["Min", 14],
    ["Disabled", 10],
  ] as const)("scale-up selectPolicy %s from 10 towards 50 gives %d", (selectPolicy, expected) => {
    const p = profile({
      behavior: {
        scaleUp: {
          selectPolicy,
          policies: [
            { type: "Pods", value: 4, periodSeconds: 15 },
            { type: "Percent", value: 100, periodSeconds: 15 },
          ],
        },
      },
    });
    expect(run(p, 10, () => 50, 1)).toEqual([expected]);
  });

  // Percent scale-up rounds up: ceil(3 * 1.1) = 4, so a 10 % policy still adds a pod.
  it("Percent scale-up rounds up", () => {
    const p = profile({ behavior: { scaleUp: { policies: [{ type: "Percent", value: 10, periodSeconds: 15 }] } } });
    expect(run(p, 3, () => 50, 1)).toEqual([4]);
  });

  // Scale-up stabilization 60 s: the up limit is the min of recommendations strictly newer than now - 60.
  // Recommendations: {0: 2 (init), 0: 2}, then 8 from t=15. At t=60 the t=0 entries leave the window and
  // the stabilized 8 meets the default rate limit max(2 + 4, 2 * 2) = 6; at t=75 the rest: 8.
  it("holds a scale-up for its stabilization window", () => {
    const p = profile({ behavior: { scaleUp: { stabilizationWindowSeconds: 60 } } });
    expect(run(p, 2, (t) => (t === 0 ? 2 : 8), 6)).toEqual([2, 2, 2, 2, 6, 8]);
  });

  // Scale-down selectPolicy Min keeps the policy that removes fewer: from 10, Pods 1 -> 9, Percent 50 -> 5.
  it.each([
    ["Max", 5],
    ["Min", 9],
    ["Disabled", 10],
  ] as const)("scale-down selectPolicy %s from 10 towards 1 gives %d", (selectPolicy, expected) => {
    const p = profile({
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: 0,
          selectPolicy,
          policies: [
            { type: "Pods", value: 1, periodSeconds: 60 },
            { type: "Percent", value: 50, periodSeconds: 60 },
          ],
        },
      },
    });
    expect(run(p, 10, () => 1, 1)).toEqual([expected]);
  });
});

describe("min and max replicas", () => {
  // reconcileAutoscaler: current above max -> max, below min -> min, before any metric is read.
  it.each([
    [120, 100],
    [1, 3],
  ])("a count of %d is brought to %d", (start, expected) => {
    expect(run(profile({ minReplicas: 3 }), start, () => 50, 1)).toEqual([expected]);
  });

  it("never proposes beyond maxReplicas or below minReplicas", () => {
    const p = profile({ minReplicas: 2, maxReplicas: 6, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } });
    expect(run(p, 4, () => 40, 3)).toEqual([6, 6, 6]);
    expect(run(p, 4, () => 0, 2)).toEqual([2, 2]);
  });
});

describe("KEDA activation, cooldown and 0 <-> 1", () => {
  // RequestScale with minReplicaCount 0: inactive with replicas > 0 scales to 0 once
  // lastActiveTime + cooldownPeriod is before now (strictly). Active at t=0; polls every 30 s; cooldown 60:
  // t=30: 0+60 < 30 no; t=60: 60 < 60 no; t=90: yes -> 0.
  it("scales to zero only after cooldownPeriod", () => {
    const keda = new Autoscaler(profile({ minReplicas: 0, pollingInterval: 30, cooldownPeriod: 60 }), 0);
    expect(keda.kedaPoll(0, 3, queue(5))).toBeNull();
    expect(keda.kedaPoll(30, 3, queue(0))).toBeNull();
    expect(keda.kedaPoll(60, 3, queue(0))).toBeNull();
    expect(keda.kedaPoll(90, 3, queue(0))).toBe(0);
  });

  it("scales from zero to 1 when a trigger is above its activation threshold, and the HPA stays out at 0", () => {
    const keda = new Autoscaler(
      profile({ minReplicas: 0, triggers: [{ type: "queue_depth", threshold: 1, activationThreshold: 10 }] }),
      0,
    );
    expect(keda.hpaSync(15, 0, queue(50))).toBeNull(); // HPA: scaling disabled at 0 replicas
    expect(keda.kedaPoll(15, 0, queue(10))).toBeNull(); // 10 is not above the activation threshold 10
    expect(keda.kedaPoll(30, 0, queue(11))).toBe(1);
  });

  it("never scales to zero when minReplicaCount is above 0, and wakes to minReplicaCount", () => {
    const keda = new Autoscaler(profile({ minReplicas: 2, cooldownPeriod: 0 }), 0);
    expect(keda.kedaPoll(1000, 2, queue(0))).toBeNull();
    expect(keda.kedaPoll(1015, 0, queue(3))).toBe(2);
  });
});

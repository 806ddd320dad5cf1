// Invariants of the simulator over random profiles: whatever the triggers and behavior, the replica count
// stays within what the ScaledObject allows, and the bill is at least the floor it keeps running.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scalingProfileSchema, serviceModelSchema } from "./schema";
import { simulateProfile } from "./simulate";
import { generateSyntheticTrace } from "./synthetic-trace";

const traffic = generateSyntheticTrace({ seed: 21, durationSeconds: 1200, meanRequestsPerSecond: 4 });
const service = serviceModelSchema.parse({ kind: "llm", startupDelaySeconds: 60 });

const profileArbitrary = fc
  .record({
    min: fc.integer({ min: 0, max: 6 }),
    extra: fc.integer({ min: 0, max: 12 }),
    gpu: fc.option(fc.integer({ min: 30, max: 95 }), { nil: undefined }),
    queue: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    latency: fc.option(fc.integer({ min: 100, max: 5000 }), { nil: undefined }),
    downWindow: fc.integer({ min: 0, max: 600 }),
    downPolicy: fc.constantFrom("Pods", "Percent") as fc.Arbitrary<"Pods" | "Percent">,
    downValue: fc.integer({ min: 1, max: 100 }),
    select: fc.constantFrom("Max", "Min", "Disabled") as fc.Arbitrary<"Max" | "Min" | "Disabled">,
  })
  .map((r) => {
    const triggers = [
      r.gpu !== undefined ? { type: "gpu_utilization" as const, threshold: r.gpu } : null,
      r.queue !== undefined ? { type: "queue_depth" as const, threshold: r.queue } : null,
      r.latency !== undefined ? { type: "p99_latency_ms" as const, threshold: r.latency } : null,
    ].filter((t) => t !== null);
    return scalingProfileSchema.parse({
      name: "random",
      minReplicas: r.min,
      maxReplicas: Math.max(1, r.min + r.extra),
      cooldownPeriod: 60,
      triggers: triggers.length ? triggers : [{ type: "queue_depth", threshold: 5 }],
      behavior: {
        scaleDown: {
          stabilizationWindowSeconds: r.downWindow,
          policies: [{ type: r.downPolicy, value: r.downValue, periodSeconds: 60 }],
          selectPolicy: r.select,
        },
      },
    });
  });

describe("simulateProfile invariants", () => {
  it("keeps replicas within [minReplicas, maxReplicas] (or 0 when minReplicas is 0) and bills at least the minimum", () => {
    fc.assert(
      fc.property(profileArbitrary, (profile) => {
        const result = simulateProfile({ traffic, profile, service, sloP99Ms: 2000 });
        for (const s of result.series) {
          const allowedZero = profile.minReplicas === 0 && s.replicas === 0;
          expect(
            allowedZero || (s.replicas >= Math.max(1, profile.minReplicas) && s.replicas <= profile.maxReplicas),
          ).toBe(true);
          expect(s.readyReplicas).toBeLessThanOrEqual(s.replicas);
        }
        expect(result.gpuHours).toBeGreaterThanOrEqual((profile.minReplicas * traffic.durationSeconds) / 3600 - 1e-9);
        expect(result.requests).toBe(traffic.arrivals.length);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});

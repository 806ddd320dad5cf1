import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompletionHeap } from "./completion-heap";
import { LatencyHistogram } from "./latency-histogram";
import { formatLatency } from "./explain-profile";
import { vllmTtftBucketsSeconds } from "./metric-definitions";
import { percentile } from "./percentile";

describe("LatencyHistogram", () => {
  it("has no quantile when empty (histogram_quantile of zero rates is NaN, not 0)", () => {
    expect(new LatencyHistogram().quantile(0.99)).toBeNaN();
  });

  it("uses the exporter's buckets: 30 observations of 3 s in vLLM's (2.5, 5] s TTFT bucket read as 4.975 s at p99", () => {
    const h = new LatencyHistogram(vllmTtftBucketsSeconds.map((b) => b * 1000));
    for (let i = 0; i < 30; i++) h.add(3000);
    // rank 29.7 of 30, all in (2500, 5000]: 2500 + 2500 x 29.7 / 30.
    expect(h.quantile(0.99)).toBeCloseTo(4975, 6);
  });

  it("interpolates within the bucket holding the rank, as histogram_quantile does", () => {
    // 100 observations of 100 ms fall in the bucket (1.1^48, 1.1^49] = (97.0, 106.7]; rank 99 of 100 lies
    // 99 % of the way through it: 97.0 + 0.99 * 9.7.
    const h = new LatencyHistogram();
    for (let i = 0; i < 100; i++) h.add(100);
    const lower = 1.1 ** 48;
    const upper = 1.1 ** 49;
    expect(h.quantile(0.99)).toBeCloseTo(lower + 0.99 * (upper - lower), 6);
  });

  it("stays within one bucket (10 %) of the exact p99, and forgets removed observations", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 2, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const h = new LatencyHistogram();
          values.forEach((v) => h.add(v));
          h.add(5e6);
          h.remove(5e6);
          const exact = percentile(values, 0.99);
          const estimate = h.quantile(0.99);
          expect(estimate).toBeGreaterThan(exact / 1.1 - 1e-9);
          expect(estimate).toBeLessThan(exact * 1.1 + 1e-9);
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });
});

describe("CompletionHeap", () => {
  it("pops in time order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e4, noNaN: true })), (times) => {
        const heap = new CompletionHeap<number>();
        times.forEach((t, i) => heap.push(t, i));
        const popped: number[] = [];
        while (heap.size) popped.push(times[heap.pop()]!);
        expect(popped).toEqual([...times].sort((a, b) => a - b));
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});

describe("formatLatency", () => {
  it.each([
    [1470, "1,470 ms"],
    [12_500, "12.5 s"],
    [900_000, "15.0 min"],
    [3_600_000, "> 1 h"],
    [Number.POSITIVE_INFINITY, "> 1 h"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });
});

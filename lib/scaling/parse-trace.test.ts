import { describe, expect, it } from "vitest";
import { parseTrace } from "./parse-trace";
import { maxTraceRequests, maxTraceSpanSeconds, trafficFromRateSeries } from "./traffic";
import { generateSyntheticTrace, traceToAzureCsv } from "./synthetic-trace";

describe("parseTrace", () => {
  it("reads the Azure LLM format with sub-second timestamps, relative to the first whole second", () => {
    const csv =
      "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:50.9951690,396,109\n";
    const result = parseTrace(csv);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.format).toBe("azure-llm");
    expect(Array.from(result.traffic.arrivals)).toEqual([expect.closeTo(0.68059, 5), expect.closeTo(4.995169, 5)]);
    expect(Array.from(result.traffic.contextTokens!)).toEqual([374, 396]);
    expect(Array.from(result.traffic.generatedTokens!)).toEqual([44, 109]);
    expect(result.traffic.startEpochMs).toBe(Date.UTC(2023, 10, 16, 18, 15, 46));
    expect(result.traffic.durationSeconds).toBe(60);
  });

  it("reads a request-rate history and spreads each interval's requests over it", () => {
    // 2 req/s for 60 s then 0.5 req/s for the last (median) 60 s: 120 + 30 requests.
    const result = parseTrace("timestamp,requests_per_second\n1700000000,2\n1700000060,0.5\n");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.format).toBe("request-rate");
    expect(result.traffic.arrivals.length).toBe(150);
    expect(result.traffic.arrivals[0]).toBeCloseTo(0.25);
    expect(result.traffic.contextTokens).toBeNull();
  });

  it("accepts a trace right at the limits and refuses one request or one second past them, naming the limit", () => {
    // 2,000,000 requests over 8 days is the largest rate trace; the browser runs this same parser.
    const rate = maxTraceRequests / maxTraceSpanSeconds;
    const atLimit = `timestamp,requests_per_second\n0,${rate}\n${maxTraceSpanSeconds / 2},${rate}\n`;
    expect(parseTrace(atLimit).ok).toBe(true);
    const overRate = `timestamp,requests_per_second\n0,${rate * 1.001}\n${maxTraceSpanSeconds / 2},${rate * 1.001}\n`;
    expect(parseTrace(overRate)).toEqual({
      ok: false,
      error: expect.stringMatching(/more than the limit of 2000000: cut it/),
    });
    const longLlm = `TIMESTAMP,ContextTokens,GeneratedTokens\n0,1,1\n${maxTraceSpanSeconds + 1},1,1\n`;
    expect(parseTrace(longLlm)).toEqual({
      ok: false,
      error: expect.stringMatching(/trace spans 691201 s, more than the limit of 691200 s/),
    });
    expect(() => trafficFromRateSeries([{ timestamp: 0, requestsPerSecond: 1e15 }])).toThrow(
      /more than the limit of 2000000/,
    );
  });

  it.each([
    ["time,foo\n1,2\n", /line 1: header "time,foo" is not a known trace format/],
    ["TIMESTAMP,ContextTokens,GeneratedTokens\n", /no rows/],
    [
      "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10,5\n2023-11-16 18:15:47,abc,5\n",
      /line 3: ContextTokens "abc"/,
    ],
    ["TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46,10\n", /line 2: expected 3 columns/],
    ["TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,10,5\n", /line 2: TIMESTAMP "yesterday" is not a date/],
    [
      "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:47,10,5\n2023-11-16 18:15:46,10,5\n",
      /line 3: TIMESTAMP goes back in time/,
    ],
    ["timestamp,requests_per_second\n1700000000,-1\n", /line 2: requests_per_second "-1"/],
    ["timestamp,requests_per_second\n1700000000,1\n1700000000,2\n", /line 3: timestamp does not increase/],
  ])("rejects %j naming the line and field", (csv, message) => {
    const result = parseTrace(csv);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it("refuses traces above the size bound", () => {
    const result = parseTrace("x".repeat(64 * 1024 * 1024 + 1));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/larger than 64 MiB/);
  });

  it("round-trips the synthetic trace through the Azure CSV format", () => {
    const traffic = generateSyntheticTrace({ seed: 3, durationSeconds: 300 });
    const result = parseTrace(traceToAzureCsv(traffic));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.traffic.arrivals.length).toBe(traffic.arrivals.length);
    // Millisecond timestamps in the CSV: arrivals agree within a millisecond (after the whole-second rebase).
    const shift = traffic.arrivals[0]! - result.traffic.arrivals[0]!;
    expect(Math.abs(traffic.arrivals[10]! - result.traffic.arrivals[10]! - shift)).toBeLessThan(0.002);
    expect(Array.from(result.traffic.contextTokens!)).toEqual(Array.from(traffic.contextTokens!));
  });
});

describe("generateSyntheticTrace", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const a = generateSyntheticTrace({ seed: 1, durationSeconds: 600 });
    const b = generateSyntheticTrace({ seed: 1, durationSeconds: 600 });
    const c = generateSyntheticTrace({ seed: 2, durationSeconds: 600 });
    expect(Array.from(a.arrivals)).toEqual(Array.from(b.arrivals));
    expect(Array.from(a.arrivals)).not.toEqual(Array.from(c.arrivals));
  });

  it("follows the diurnal curve: the middle of the window is busier than its start", () => {
    const t = generateSyntheticTrace({
      seed: 5,
      bursts: 0,
      durationSeconds: 3600,
      meanRequestsPerSecond: 5,
      diurnalAmplitude: 0.5,
    });
    const count = (from: number, to: number) => Array.from(t.arrivals).filter((x) => x >= from && x < to).length;
    // Expected rate at the trough ~2.5/s and at the crest ~7.5/s: 10-minute windows differ by far more than noise.
    expect(count(1500, 2100)).toBeGreaterThan(1.8 * count(0, 600));
  });
});

describe("trafficFromRateSeries", () => {
  it("carries fractional requests across intervals so totals match the integral of the rate", () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ timestamp: 1000 + i * 15, requestsPerSecond: 0.1 }));
    // 0.1 req/s over 150 s = 15 requests, although each 15 s interval alone holds 1.5.
    expect(trafficFromRateSeries(points).arrivals.length).toBe(15);
  });
});

describe("trafficFromRateSeries", () => {
  it("accepts a full week of per-minute history, the most the CLI and the page ask Prometheus for", () => {
    const start = 1_700_000_000;
    const points = Array.from({ length: 168 * 60 + 1 }, (_, i) => ({
      timestamp: start + i * 60,
      requestsPerSecond: 1,
    }));
    expect(trafficFromRateSeries(points).durationSeconds).toBe(168 * 3600 + 60);
  });
});

// Against the real Prometheus (Debian package) with a backfilled request counter: the history comes back as
// the arrivals the simulator replays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import { fetchRequestRateTraffic } from "./request-rate-history.server";

const HOUR = 3600_000;
// One hour ending two whole hours ago (backfilled blocks lie in the past): 5 req/s, then 10 req/s.
const end = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const start = end - HOUR;
const rateAt = (t: number) => (t < start + HOUR / 2 ? 5 : 10);

let prom: RunningPrometheus;
beforeAll(async () => {
  const points: [number, number][] = [];
  let count = 0;
  for (let t = start - 10 * 60_000; t <= end + 10 * 60_000; t += 15_000) {
    points.push([t, count]);
    count += rateAt(t) * 15;
  }
  prom = await startPrometheus([
    { name: "inference_request_duration_seconds_count", labels: { namespace: "ml-inference", service: "model-server", pod: "model-server-0" }, points },
    // Another service's traffic must not leak in.
    { name: "inference_request_duration_seconds_count", labels: { namespace: "ml-inference", service: "other", pod: "other-0" }, points: points.map(([t, v]) => [t, v * 7]) },
  ]);
}, 60_000);
afterAll(async () => prom?.stop());

describe("fetchRequestRateTraffic against a real Prometheus", () => {
  it("turns the deployment's request rate into arrivals at that rate", async () => {
    const traffic = await fetchRequestRateTraffic({
      prometheusUrl: prom.url,
      allow: ["127.0.0.1"],
      namespace: "ml-inference",
      service: "model-server",
      start: start + 5 * 60_000,
      end,
    });
    const firstHalf = Array.from(traffic.arrivals).filter((a) => a < 20 * 60).length;
    const secondHalf = Array.from(traffic.arrivals).filter((a) => a >= 30 * 60 && a < 50 * 60).length;
    // 20 minutes at 5 req/s and 20 at 10 req/s; rate() over 1 m windows at 60 s steps is exact for a straight counter.
    expect(firstHalf).toBeGreaterThan(0.97 * 6000);
    expect(firstHalf).toBeLessThan(1.03 * 6000);
    expect(secondHalf).toBeGreaterThan(0.97 * 12000);
    expect(secondHalf).toBeLessThan(1.03 * 12000);
    expect(traffic.contextTokens).toBeNull();
  });

  it("names the fix when there is no history and refuses names that are not DNS labels", async () => {
    const base = { prometheusUrl: prom.url, allow: ["127.0.0.1"], namespace: "ml-inference", start, end };
    await expect(fetchRequestRateTraffic({ ...base, service: "absent" })).rejects.toThrow(/no request-rate history for service absent/);
    await expect(fetchRequestRateTraffic({ ...base, service: 'x"} or vector(1) #' })).rejects.toThrow(/not a Kubernetes service name/);
    await expect(fetchRequestRateTraffic({ ...base, service: "model-server", allow: [] })).rejects.toThrow(/allow-list/);
  });
});

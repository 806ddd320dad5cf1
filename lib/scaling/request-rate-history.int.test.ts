// Against the real Prometheus (Debian package) with a backfilled request counter: the history comes back as
// the arrivals the simulator replays.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrometheus, type RunningPrometheus } from "@/test-support/prometheus/start-prometheus";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { COST_SETTINGS_KEY } from "@/lib/costs/sources/ingest-usage.server";
import { URL_ALLOW_LIST_KEY } from "@/lib/net/schema";
import { DomainError } from "@/lib/errors/domain-error";
import { httpView, type HttpView } from "@/test-support/http-view";
import { trafficFromRateSeries } from "./traffic";
import {
  fetchRequestRateTraffic,
  loadRequestRateHistory,
  requestRateHistoryQuerySchema,
} from "./request-rate-history.server";
import { simulateCommand } from "@/cli/commands/simulate";
import { vi } from "vitest";

const HOUR = 3600_000;
// One hour ending two whole hours ago (backfilled blocks lie in the past): 5 req/s, then 10 req/s.
const end = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const start = end - HOUR;
const rateAt = (t: number) => (t < start + HOUR / 2 ? 5 : 10);

let prom: RunningPrometheus;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("rate_history"));
  const points: [number, number][] = [];
  let count = 0;
  for (let t = start - 10 * 60_000; t <= end + 10 * 60_000; t += 15_000) {
    points.push([t, count]);
    count += rateAt(t) * 15;
  }
  prom = await startPrometheus([
    {
      name: "vllm:request_success_total",
      labels: { namespace: "ml-inference", pod: "model-server-7c9d5-0", finished_reason: "stop" },
      points,
    },
    // Another service's traffic must not leak in.
    {
      name: "nv_inference_request_success",
      labels: { namespace: "ml-inference", pod: "other-6b7f8-0", model: "m", version: "1" },
      points: points.map(([t, v]) => [t, v * 7]),
    },
    // 600 to 1,200 req/s: an hour of it is more requests than the simulator replays.
    {
      name: "nv_inference_request_success",
      labels: { namespace: "ml-inference", pod: "busy-5d4c3-0", model: "m", version: "1" },
      points: points.map(([t, v]) => [t, v * 120]),
    },
  ]);
}, 60_000);
afterAll(async () => {
  await prom?.stop();
  await disconnectPrisma();
  await drop?.();
});

describe("fetchRequestRateTraffic against a real Prometheus", () => {
  it("turns the deployment's request rate into arrivals at that rate", async () => {
    const traffic = await fetchRequestRateTraffic({
      prometheusUrl: prom.url,
      allow: [new URL(prom.url).host],
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
    const base = { prometheusUrl: prom.url, allow: [new URL(prom.url).host], namespace: "ml-inference", start, end };
    await expect(fetchRequestRateTraffic({ ...base, service: "absent" })).rejects.toThrow(
      /no request-rate history for service absent/,
    );
    await expect(fetchRequestRateTraffic({ ...base, service: 'x"} or vector(1) #' })).rejects.toThrow(
      /not a Kubernetes service name/,
    );
    await expect(fetchRequestRateTraffic({ ...base, service: "model-server", allow: [] })).rejects.toThrow(
      /allow-list/,
    );
  });
});

async function saveSettings({ allow = [], ...value }: { sources: string[]; prometheusUrl?: string; allow?: string[] }) {
  await getPrisma().setting.upsert({
    where: { key: COST_SETTINGS_KEY },
    create: { key: COST_SETTINGS_KEY, value },
    update: { value },
  });
  const list = { entries: allow };
  await getPrisma().setting.upsert({
    where: { key: URL_ALLOW_LIST_KEY },
    create: { key: URL_ALLOW_LIST_KEY, value: list },
    update: { value: list },
  });
}

async function httpErrorOf(promise: Promise<unknown>): Promise<HttpView> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return httpView(error) as HttpView;
}

describe("loadRequestRateHistory: the API behind 'Cluster history' in the simulation panel", () => {
  const query = requestRateHistoryQuerySchema.parse({ namespace: "ml-inference", service: "model-server", hours: "1" });

  it("says no Prometheus is configured (409) and names where to set it", async () => {
    await saveSettings({ sources: ["demo"] });
    const error = await httpErrorOf(loadRequestRateHistory(query, end));
    expect(error.status).toBe(409);
    expect(error.message).toMatch(/Settings → Cost data sources/);
  });

  it("reads the last hours per minute from the Prometheus in Settings, which replay at the measured rate", async () => {
    await saveSettings({ sources: ["prometheus"], prometheusUrl: prom.url, allow: [new URL(prom.url).host] });
    const history = await loadRequestRateHistory(query, end + 30_000);
    expect(history).toMatchObject({ namespace: "ml-inference", service: "model-server", start, end, stepSeconds: 60 });
    expect(history.points.length).toBeGreaterThanOrEqual(60);
    // 30 min at 5 req/s and 30 at 10 req/s: 27,000 requests (the first minute's rate() window starts before the data).
    expect(history.expectedRequests).toBeGreaterThan(0.97 * 27_000);
    expect(history.expectedRequests).toBeLessThan(1.03 * 27_000);
    const traffic = trafficFromRateSeries(history.points);
    expect(traffic.arrivals.length).toBeCloseTo(history.expectedRequests, -2);
  });

  it("answers 404 for a service with no series, 409 naming the entry to add when the URL allow-list refuses it, 422 on a window too large", async () => {
    await saveSettings({ sources: ["prometheus"], prometheusUrl: prom.url, allow: [new URL(prom.url).host] });
    const absent = await httpErrorOf(loadRequestRateHistory({ ...query, service: "absent" }, end));
    expect(absent.status).toBe(404);
    expect(absent.message).toMatch(/no request-rate history for service absent in namespace ml-inference/);

    await saveSettings({ sources: ["prometheus"], prometheusUrl: prom.url, allow: [] });
    const refused = await httpErrorOf(loadRequestRateHistory(query, end));
    expect(refused.status).toBe(409);
    expect(refused.code).toBe("url_refused");
    expect(refused.message).toMatch(/not on the URL allow-list: .*Settings → URL allow-list as 127\.0\.0\.1:\d+$/);

    // "busy" holds about 3.2 million requests in the hour: refused before any replay, naming the hours field.
    await saveSettings({ sources: ["prometheus"], prometheusUrl: prom.url, allow: [new URL(prom.url).host] });
    const big = await httpErrorOf(loadRequestRateHistory({ ...query, service: "busy" }, end));
    expect(big.status).toBe(422);
    expect(big.fields?.[0]?.path).toBe("hours");
  });

  it("refuses names that are not DNS labels and windows outside 1-168 hours, naming the field", () => {
    const bad = requestRateHistoryQuerySchema.safeParse({ namespace: "ML_inference", service: 'x"}', hours: "0" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["namespace", "service", "hours"]);
  });
});

describe("portal simulate --from-prometheus", () => {
  it("replays the deployment's last hours from Prometheus through a profile and prints the result", async () => {
    let stdout = "";
    let stderr = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
    // The backfilled hour ended two whole hours ago, its counter runs 10 min either side: the last 5 hours hold
    // all of it at any minute of the hour (the last 4 cut its first minutes after about :50).
    const code = await simulateCommand.run([
      "--from-prometheus",
      prom.url,
      "--allow",
      new URL(prom.url).host,
      "--namespace",
      "ml-inference",
      "--model-server",
      "model-server",
      "--hours",
      "5",
      "--no-series",
    ]);
    vi.restoreAllMocks();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    // All of the backfilled counter: 40 min at 5 req/s and 40 at 10 req/s (the hour and 10 min either side).
    expect(result.requests).toBeGreaterThan(0.97 * 36_000);
    expect(result.requests).toBeLessThan(1.03 * 36_000);
    expect(result.profile.name).toBe("reference");
  });
});

// The Prometheus client connects only to addresses the allow-list accepts, checked when the connection is made:
// a name that passed the check and then resolves elsewhere (DNS rebinding) is refused. The resolver is injected,
// so no test depends on real DNS, and every server here listens on loopback.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowListedLookup, checkPrometheusUrl, queryRange, type ResolveHost } from "./prometheus-client.server";

interface FakeServer {
  port: number;
  hits: { url: string; host: string | undefined }[];
  close(): Promise<void>;
}

async function serve(address: string, answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<FakeServer> {
  const hits: FakeServer["hits"] = [];
  const server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? "", host: req.headers.host });
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return { port: (server.address() as AddressInfo).port, hits, close: () => new Promise((r) => server.close(() => r())) };
}

const matrix = JSON.stringify({ status: "success", data: { resultType: "matrix", result: [{ metric: { gpu: "0" }, values: [[1_700_000_000, "42"]] }] } });
const answerMatrix = (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.url?.startsWith("/api/v1/query_range")) res.writeHead(200, { "content-type": "application/json" }).end(matrix);
  else res.writeHead(404).end();
};

/** A DNS double that gives each answer in turn (the last one repeats) and counts the questions. */
function changingResolver(...answers: string[][]): ResolveHost & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    return answers[Math.min(calls.length - 1, answers.length - 1)].map((address) => ({ address }));
  };
  return Object.assign(resolve, { calls });
}

const window = { start: 1_700_000_000_000, end: 1_700_003_600_000, stepSeconds: 3600 };

let prometheus: FakeServer;
// Stands at 127.0.0.2, which the allow-list below does not accept: any request it receives is a request that
// went past the allow-list.
let forbidden: FakeServer;
beforeAll(async () => {
  prometheus = await serve("127.0.0.1", answerMatrix);
  forbidden = await serve("127.0.0.2", answerMatrix);
});
afterAll(async () => {
  await prometheus?.close();
  await forbidden?.close();
});

describe("Prometheus client: the allow-list holds at connect time", () => {
  it("refuses a name that resolved to an allowed address when checked and to another one when connecting", async () => {
    const resolve = changingResolver(["127.0.0.1"], ["127.0.0.2"]);
    // Same port on both addresses, so a connection to the second answer would reach the forbidden server.
    const port = forbidden.port;
    const target = await checkPrometheusUrl(`http://prometheus.rebind.test:${port}`, ["127.0.0.1"], resolve);
    const before = forbidden.hits.length;

    await expect(queryRange(target, "up", window)).rejects.toThrow(/prometheus\.rebind\.test.*127\.0\.0\.2.*allow-list in Settings/);
    expect(resolve.calls).toEqual(["prometheus.rebind.test", "prometheus.rebind.test"]);
    expect(forbidden.hits.length).toBe(before);
  });

  it.each([true, false])("the connect-time lookup refuses a rebinding to 169.254.169.254 (all addresses: %s)", async (all) => {
    const resolve = changingResolver(["127.0.0.1"], ["169.254.169.254"]);
    const target = await checkPrometheusUrl("http://prometheus.rebind.test:9090", ["127.0.0.1"], resolve);
    const lookup = allowListedLookup(target);

    const outcome = await new Promise<{ error: Error | null; address: unknown }>((resolveOutcome) =>
      lookup("prometheus.rebind.test", { all }, (error, address) => resolveOutcome({ error, address })),
    );
    expect(outcome.error?.message).toMatch(/refused to connect to Prometheus: .*prometheus\.rebind\.test.*169\.254\.169\.254.*never allowed/);
    expect(outcome.address).toBe("");
  });

  it("refuses a name with one refused address among allowed ones", async () => {
    const resolve = changingResolver(["127.0.0.1"], ["127.0.0.1", "127.0.0.2"]);
    const target = await checkPrometheusUrl(`http://prometheus.rebind.test:${prometheus.port}`, ["127.0.0.1"], resolve);
    const before = prometheus.hits.length;
    await expect(queryRange(target, "up", window)).rejects.toThrow(/127\.0\.0\.2/);
    expect(prometheus.hits.length).toBe(before);
  });

  it("queries a name whose addresses stay allowed, with the configured hostname as Host", async () => {
    const resolve = changingResolver(["127.0.0.1"]);
    const target = await checkPrometheusUrl(`http://prometheus.monitoring.test:${prometheus.port}`, ["127.0.0.1"], resolve);
    const series = await queryRange(target, "up", window);
    expect(series).toEqual([{ metric: { gpu: "0" }, values: [[1_700_000_000, "42"]] }]);
    expect(prometheus.hits.at(-1)?.host).toBe(`prometheus.monitoring.test:${prometheus.port}`);
  });

  it("queries an allowed literal IP (127.0.0.1 on the allow-list)", async () => {
    const target = await checkPrometheusUrl(`http://127.0.0.1:${prometheus.port}/`, ["127.0.0.1"]);
    const series = await queryRange(target, "up", window);
    expect(series[0]?.values).toEqual([[1_700_000_000, "42"]]);
    expect(prometheus.hits.at(-1)?.url).toMatch(/^\/api\/v1\/query_range\?query=up&start=1700000000&end=1700003600&step=3600$/);
  });

  it("checks a literal IP again in queryRange, where no lookup happens", async () => {
    const before = prometheus.hits.length;
    const handMade = { url: new URL(`http://127.0.0.1:${prometheus.port}/`), allow: [], resolve: changingResolver(["127.0.0.1"]) };
    await expect(queryRange(handMade, "up", window)).rejects.toThrow(/loopback.*allow-list in Settings/);
    expect(prometheus.hits.length).toBe(before);
  });

  it("refuses to follow a redirect", async () => {
    const redirecting = await serve("127.0.0.1", (_req, res) => res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end());
    try {
      const target = await checkPrometheusUrl(`http://127.0.0.1:${redirecting.port}`, ["127.0.0.1"]);
      await expect(queryRange(target, "up", window)).rejects.toThrow(/redirect \(302\).*configure the final URL/);
      expect(redirecting.hits).toHaveLength(1);
    } finally {
      await redirecting.close();
    }
  });
});

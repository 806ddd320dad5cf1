// The Prometheus client fetches under the URL policy (lib/net/policy-fetch.int.test.ts covers connect time and
// redirects in depth): a listed Prometheus is queried with its configured name as Host; anything else is refused
// before a request leaves, naming prometheusUrl and the Settings list.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changingResolver, serveHttp, type FakeServer } from "@/test-support/fake-http-server";
import { prometheusTarget, queryRange } from "./client.server";

const matrix = JSON.stringify({
  status: "success",
  data: { resultType: "matrix", result: [{ metric: { gpu: "0" }, values: [[1_700_000_000, "42"]] }] },
});
const answerMatrix = (req: http.IncomingMessage, res: http.ServerResponse) => {
  if (req.url?.startsWith("/api/v1/query_range"))
    res.writeHead(200, { "content-type": "application/json" }).end(matrix);
  else res.writeHead(404).end();
};

const window = { start: 1_700_000_000_000, end: 1_700_003_600_000, stepSeconds: 3600 };

let prometheus: FakeServer;
beforeAll(async () => {
  prometheus = await serveHttp("127.0.0.1", answerMatrix);
});
afterAll(async () => {
  await prometheus?.close();
});

describe("Prometheus client under the URL policy", () => {
  it("queries a listed literal IP and port", async () => {
    const series = await queryRange(
      prometheusTarget(`${prometheus.url}/`, { allow: [`127.0.0.1:${prometheus.port}`] }),
      "up",
      window,
    );
    expect(series).toEqual([{ metric: { gpu: "0" }, values: [[1_700_000_000, "42"]] }]);
    expect(prometheus.hits.at(-1)?.url).toMatch(
      /^\/api\/v1\/query_range\?query=up&start=1700000000&end=1700003600&step=3600$/,
    );
  });

  it("queries a listed name with that name as Host", async () => {
    const target = prometheusTarget(`http://prometheus.monitoring.test:${prometheus.port}`, {
      allow: [`prometheus.monitoring.test:${prometheus.port}`],
      resolve: changingResolver(["127.0.0.1"]),
    });
    await queryRange(target, "up", window);
    expect(prometheus.hits.at(-1)?.host).toBe(`prometheus.monitoring.test:${prometheus.port}`);
  });

  it("refuses an unlisted port of a listed host without a request, naming prometheusUrl and the fix", () => {
    const before = prometheus.hits.length;
    expect(() => prometheusTarget(`${prometheus.url}/`, { allow: ["127.0.0.1:1"] })).toThrow(
      `prometheusUrl ${prometheus.url}: 127.0.0.1 port ${prometheus.port} is not on the URL allow-list: a platform admin can add it in Settings → URL allow-list as 127.0.0.1:${prometheus.port}`,
    );
    expect(prometheus.hits.length).toBe(before);
  });
});

// A URL target answering an error must not make the portal repeat its body: the Prometheus, AWS and scaling
// history errors keep the status (and Prometheus's own error fields), never the raw text, in what is stored
// (the ingestion run's lastError) and in every answer built from it.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { serveHttp, type FakeServer } from "@/test-support/fake-http-server";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { URL_ALLOW_LIST_KEY } from "@/lib/net/schema";
import { loadRequestRateHistory, requestRateHistoryQuerySchema } from "@/lib/scaling/request-rate-history.server";
import { COST_SETTINGS_KEY, ingestionStatus, ingestUsage } from "./ingest-usage.server";
import { costSummary } from "@/lib/costs/rollups/cost-queries.server";
import { fetchDailyCosts } from "./cost-explorer.server";
import { fetchAwsPrices } from "@/lib/pricing/aws-price-list.server";

const MARKER = "MARKER-500-BODY token=s3cr3t";
let body = `upstream exploded: ${MARKER}`;
let contentType = "text/plain";
const answer = (_req: http.IncomingMessage, res: http.ServerResponse) =>
  res.writeHead(500, { "content-type": contentType }).end(body);

let server: FakeServer;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("remote_error_bodies"));
  server = await serveHttp("127.0.0.1", answer);
  const allow = { entries: [`127.0.0.1:${server.port}`] };
  await getPrisma().setting.upsert({
    where: { key: URL_ALLOW_LIST_KEY },
    create: { key: URL_ALLOW_LIST_KEY, value: allow },
    update: { value: allow },
  });
  const costs = { sources: ["prometheus"], prometheusUrl: server.url };
  await getPrisma().setting.upsert({
    where: { key: COST_SETTINGS_KEY },
    create: { key: COST_SETTINGS_KEY, value: costs },
    update: { value: costs },
  });
});
afterAll(async () => {
  await server?.close();
  await disconnectPrisma();
  await drop();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable("should fail"),
    (e: unknown) => (e instanceof Error ? e.message : String(e)),
  );

describe("remote error bodies", () => {
  const now = Date.UTC(2026, 10, 29, 7, 30);

  it("a Prometheus 500 is stored and answered as its status, without the body", async () => {
    body = `upstream exploded: ${MARKER}`;
    contentType = "text/plain";
    const db = getPrisma();
    const thrown = await failure(ingestUsage(db, { now }));
    expect(thrown).toContain("failed with 500");
    expect(thrown).not.toContain("MARKER");

    const run = await db.ingestionRun.findFirstOrThrow({
      where: { source: "prometheus" },
      orderBy: { startedAt: "desc" },
    });
    expect(run.error).toMatch(/Prometheus query_range failed with 500/);
    expect(run.error).not.toContain("MARKER");
    const status = await ingestionStatus(db, now);
    expect(status.find((s) => s.source === "prometheus")?.lastError).toMatch(/failed with 500/);
    // What GET /api/v1/costs/summary returns (the /costs page reads the same).
    const summary = await costSummary(db, { days: 7, groupBy: "team", teams: null, now });
    expect(JSON.stringify(summary)).toContain("failed with 500");
    expect(JSON.stringify(summary)).not.toContain("MARKER");

    const history = await failure(
      loadRequestRateHistory(
        requestRateHistoryQuerySchema.parse({ namespace: "ml-inference", service: "ranker", hours: 1 }),
        now,
        undefined,
        db,
      ),
    );
    expect(history).toContain("failed with 500");
    expect(history).not.toContain("MARKER");
  });

  it("keeps only Prometheus's own errorType and a short error from its JSON error shape", async () => {
    contentType = "application/json";
    body = JSON.stringify({ status: "error", errorType: "bad_data", error: `1:5: parse error ${"x".repeat(500)}` });
    const shaped = await failure(ingestUsage(getPrisma(), { now }));
    expect(shaped).toMatch(/failed with 500: bad_data: 1:5: parse error x+…/);
    expect(shaped).not.toContain("x".repeat(201));

    body = JSON.stringify({ status: "failure", errorType: "bad_data", error: MARKER, message: MARKER });
    expect(await failure(ingestUsage(getPrisma(), { now }))).not.toContain("MARKER");
    body = JSON.stringify({ status: "error", errorType: MARKER, error: MARKER });
    expect(await failure(ingestUsage(getPrisma(), { now }))).not.toContain("MARKER");
  });

  it.each([
    [
      "a JSON error with the marker as its message",
      "application/x-amz-json-1.1",
      JSON.stringify({ __type: "InternalFailure", message: MARKER }),
    ],
    ["a text body", "text/plain", `upstream exploded: ${MARKER}`],
  ])("an AWS endpoint answering 500 with %s gives the status and error name only", async (_, type, text) => {
    contentType = type;
    body = text;
    const aws = {
      region: "us-east-1",
      endpoint: server.url,
      allow: [`127.0.0.1:${server.port}`],
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
      maxAttempts: 1,
    };
    const costs = await failure(
      fetchDailyCosts({ ...aws, teamTagKey: "team", workloadTagKey: "workload-type" }, "2026-11-01", "2026-11-02"),
    );
    expect(costs).toMatch(/AWS Cost Explorer GetCostAndUsage failed with HTTP 500/);
    expect(costs).not.toContain("MARKER");
    const prices = await failure(
      fetchAwsPrices({ region: "us-east-1", endpoint: server.url, credentials: aws.credentials, maxAttempts: 1 }, [
        "g5.xlarge",
      ]),
    );
    expect(prices).toMatch(/AWS Price List GetProducts failed with HTTP 500/);
    expect(prices).not.toContain("MARKER");
  });
});

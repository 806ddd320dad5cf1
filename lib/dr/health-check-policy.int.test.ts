// Health checks fetch only what the admin's URL allow-list (Settings) allows, refusing metadata and unlisted
// addresses with a message naming the URL and the list; a dry run fetches nothing at all, it only says what it
// would fetch and whether the policy allows it. A listener on 127.0.0.2 (not listed) counts any request that got past.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma.server";
import { serveHttp, type FakeServer } from "@/test-support/fake-http-server";
import { noEnqueue, setUpDrillFixture, sre, type DrillFixture } from "./__fixtures__/drill-fixture";
import { startDrill } from "./start-drill.server";
import type { StepOutput } from "./step-record";

let fx: DrillFixture;
let unlisted: FakeServer;
beforeAll(async () => {
  fx = await setUpDrillFixture();
  unlisted = await serveHttp("127.0.0.2", (_req, res) => res.writeHead(200).end("internal"));
});
afterAll(async () => {
  await unlisted?.close();
  await fx?.close();
});

const health = (name: string, url: string) => ({ name, type: "http_health_check" as const, url, timeoutSeconds: 5 });
const stepsOf = (runId: string) =>
  getPrisma().drillStepResult.findMany({ where: { drillRunId: runId }, orderBy: { index: "asc" } });

describe("DR health checks under the URL policy", () => {
  it("dry run: fetches nothing, and says for each URL what it would fetch and whether the list allows it", async () => {
    await fx.addPlan("dry_health", [
      health("Listed", fx.health.url),
      health("Unlisted", `${unlisted.url}/health`),
      health("Metadata", "http://169.254.169.254/latest/meta-data"),
    ]);
    const before = fx.health.hits();
    const started = await startDrill({ actor: sre, input: { planKey: "dry_health" }, ...noEnqueue });
    await fx.run(started.runId);
    expect(fx.health.hits()).toBe(before);
    expect(unlisted.hits).toHaveLength(0);
    const preflight = (await stepsOf(started.runId)).map((s) => (s.output as StepOutput).dryRun);
    expect(preflight[0]).toMatchObject({
      ok: true,
      preflight: `would GET ${fx.health.url} expecting 200: the URL allow-list allows its address`,
    });
    expect(preflight[1]).toMatchObject({
      ok: false,
      preflight: expect.stringMatching(
        new RegExp(
          `^would not fetch ${unlisted.url}/health: .*127\\.0\\.0\\.2 port ${unlisted.port} is not on the URL allow-list: a platform admin can add it in Settings → URL allow-list`,
        ),
      ),
    });
    expect(preflight[2]).toMatchObject({
      ok: false,
      preflight: expect.stringMatching(/169\.254\.169\.254 is link-local.*never fetched/),
    });
  });

  it.each([
    [
      "cloud metadata",
      "http://169.254.169.254/latest/meta-data",
      /^health check URL http:\/\/169\.254\.169\.254 is link-local.*never fetched, even when listed: no entry on the URL allow-list in Settings can allow it/,
    ],
    [
      "metadata as a decimal number",
      "http://2852039166/latest/meta-data",
      /169\.254\.169\.254 is link-local.*no entry on the URL allow-list in Settings can allow it/,
    ],
    [
      "an unlisted internal address",
      "UNLISTED",
      /127\.0\.0\.2 port \d+ is not on the URL allow-list: a platform admin can add it in Settings → URL allow-list as 127\.0\.0\.2:\d+$/,
    ],
  ])(
    "live run: refuses %s at once, naming the URL and the Settings list, without a request",
    async (_name, url, message) => {
      const target = url === "UNLISTED" ? `${unlisted.url}/health` : url;
      const key = `live_${Math.random().toString(36).slice(2, 8)}`;
      await fx.addPlan(key, [health("Probe", target)]);
      const started = await startDrill({
        actor: sre,
        input: { planKey: key, mode: "live", confirmation: "sandbox" },
        ...noEnqueue,
      });
      expect(await fx.run(started.runId)).toMatchObject({ status: "failed" });
      const [step] = await stepsOf(started.runId);
      expect(step!.state).toBe("failed");
      expect(step!.error).toMatch(message);
      expect((step!.output as StepOutput).health).toMatchObject({ url: target, status: null, attempts: 1 });
      expect(unlisted.hits).toHaveLength(0);
    },
  );

  it("live run: fetches a listed health URL", async () => {
    await fx.addPlan("live_listed", [health("Probe", fx.health.url)]);
    const before = fx.health.hits();
    const started = await startDrill({
      actor: sre,
      input: { planKey: "live_listed", mode: "live", confirmation: "sandbox" },
      ...noEnqueue,
    });
    await fx.run(started.runId);
    const [step] = await stepsOf(started.runId);
    expect(step!.state).toBe("succeeded");
    expect((step!.output as StepOutput).health).toMatchObject({ url: fx.health.url, status: 200, attempts: 1 });
    expect(fx.health.hits()).toBe(before + 1);
  });
});

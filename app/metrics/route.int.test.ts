// GET /metrics against a real database holding one team's usage: the team-labelled ml_* series reach only a
// scrape that presents METRICS_TOKEN, or any scrape where team data is not protected anyway (development, demo).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { stopBoss } from "@/lib/jobs/queue.server";
import { upsertUsageRows } from "@/lib/costs/rollups/usage-store.server";
import { plantRows } from "@/lib/costs/planted-fleet.test-helper";
import { DEMO_SOURCE } from "@/lib/costs/sources/demo-fleet";
import { HOUR_MS } from "@/lib/costs/schema";
import { GET } from "./route";

const token = "scrape-token-0123456789abcdef";
const teamSeries = /^ml_gpu_memory_utilization_percent\{[^}]*team="team-secret"/m;

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("metrics_route"));
  // The latest complete hour (the dashboards' source, demo by default) holds team-secret's GPUs.
  const thisHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const rows = plantRows(
    [{ team: "team-secret", nodePool: "gpu-a10g", instanceType: "g5.xlarge", gpus: 2, days: 1, utilization: () => 60 }],
    thisHour,
  );
  await upsertUsageRows(
    getPrisma(),
    rows.map((r) => ({ ...r, source: DEMO_SOURCE })),
  );
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await stopBoss({ graceful: false, timeout: 5000 });
  await disconnectPrisma();
  await drop();
});

function scrape(authorization?: string) {
  return GET(new Request("http://portal.test/metrics", { headers: authorization ? { authorization } : {} }));
}

function production(extra: Record<string, string> = {}) {
  vi.stubEnv("NODE_ENV", "production");
  vi.stubEnv("NEXTAUTH_SECRET", "n".repeat(40));
  vi.stubEnv("PORTAL_DEMO_LOGIN", "false");
  for (const [name, value] of Object.entries(extra)) vi.stubEnv(name, value);
}

describe("GET /metrics with METRICS_TOKEN set", () => {
  it.each([
    ["no Authorization header", undefined],
    ["a wrong token", "Bearer scrape-token-0123456789abcdeX"],
    ["a token one character short", `Bearer ${token.slice(0, -1)}`],
    ["the token under another scheme", `Basic ${token}`],
  ])("answers 401 with a JSON error and WWW-Authenticate to %s, and no metrics", async (_, authorization) => {
    production({ METRICS_TOKEN: token });
    const response = await scrape(authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    const body = await response.json();
    expect(body).toEqual({
      error: { code: "unauthenticated", message: expect.stringContaining("Authorization: Bearer") },
    });
    expect(JSON.stringify(body)).not.toContain("team-secret");
  });

  it("serves every metric, the team series included, to the right bearer token", async () => {
    production({ METRICS_TOKEN: token });
    const response = await scrape(`Bearer ${token}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toMatch(teamSeries);
    expect(text).toContain("process_cpu_seconds_total");
    expect(text).not.toContain("ml_* metrics are served only");
  });
});

describe("GET /metrics without METRICS_TOKEN", () => {
  it("serves only the portal's own metrics in production, saying why the ml_* series are missing", async () => {
    production();
    const response = await scrape();
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("process_cpu_seconds_total");
    expect(text).not.toMatch(/^ml_/m);
    expect(text).not.toContain("team-secret");
    expect(text).toContain("# ml_* metrics are served only when METRICS_TOKEN is set (they carry team data)");
  });

  it("serves the team series in development, as before", async () => {
    vi.stubEnv("NODE_ENV", "development");
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(teamSeries);
  });

  it("serves the team series under npm start's demo (production build, demo sign-in on)", async () => {
    production({ PORTAL_DEMO_LOGIN: "true" });
    expect(await (await scrape()).text()).toMatch(teamSeries);
  });
});

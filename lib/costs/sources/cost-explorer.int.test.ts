import { afterEach, describe, expect, it } from "vitest";
import {
  startCostExplorerDouble,
  type CostExplorerDouble,
  type DoubleCostLine,
} from "@/test-support/aws-cost-explorer-double/cost-explorer-double";
import { clearCostExplorerMemo, fetchDailyCosts } from "./cost-explorer.server";
import { ALL, UNTAGGED } from "./cost-explorer-rows";
import { changingResolver } from "@/test-support/fake-http-server";

const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };
const lines: DoubleCostLine[] = [];
for (let d = 1; d <= 10; d++) {
  const day = `2026-11-${String(d).padStart(2, "0")}`;
  lines.push({
    day,
    service: "Amazon Elastic Compute Cloud - Compute",
    tags: { team: "search", "workload-type": "inference" },
    amount: 100 + d,
  });
  lines.push({
    day,
    service: "Amazon Elastic Compute Cloud - Compute",
    tags: { team: "vision", "workload-type": "training" },
    amount: 50,
  });
  lines.push({
    day,
    service: "Amazon Simple Storage Service",
    tags: { team: "vision", "workload-type": "training" },
    amount: 5,
  });
  lines.push({ day, service: "AWS Data Transfer", tags: {}, amount: 1 });
}

let double: CostExplorerDouble | undefined;
afterEach(async () => {
  await double?.stop();
  clearCostExplorerMemo();
});

const source = (endpoint: string, allow = [new URL(endpoint).host]) => ({
  region: "us-east-1",
  endpoint,
  allow,
  credentials,
  teamTagKey: "team",
  workloadTagKey: "workload-type",
});

describe("AWS Cost Explorer through the real SDK", () => {
  it("follows NextPageToken across pages and groups by service × team and team × workload type", async () => {
    double = await startCostExplorerDouble({ lines, pageSize: 7 });
    const { lines: got, calls } = await fetchDailyCosts(source(double.endpoint), "2026-11-01", "2026-11-11");
    // 10 days × 4 service/team groups = 40 groups at 7 per page = 6 pages; 10 × 3 team/workload groups = 30 → 5 pages.
    expect(calls).toBe(11);
    expect(double.requests.every((r) => r.target === "AWSInsightsIndexService.GetCostAndUsage")).toBe(true);
    const byService = got.filter((l) => l.workloadType === ALL);
    expect(byService).toHaveLength(40);
    const searchTotal = byService.filter((l) => l.team === "search").reduce((s, l) => s + l.amountUsd, 0);
    expect(searchTotal).toBeCloseTo(1000 + 55, 6);
    expect(byService.some((l) => l.team === UNTAGGED && l.service === "AWS Data Transfer")).toBe(true);
    const byWorkload = got.filter((l) => l.service === ALL);
    expect(
      byWorkload
        .filter((l) => l.team === "vision" && l.workloadType === "training")
        .reduce((s, l) => s + l.amountUsd, 0),
    ).toBeCloseTo(550, 6);
  });

  it("retries a throttled call and still returns every line", async () => {
    double = await startCostExplorerDouble({ lines, pageSize: 100, throttleFirst: 2 });
    const { lines: got } = await fetchDailyCosts(source(double.endpoint), "2026-11-01", "2026-11-11");
    expect(double.throttled).toBe(2);
    expect(double.requests).toHaveLength(4); // 2 throttled + 1 page per grouping
    expect(got.filter((l) => l.workloadType === ALL)).toHaveLength(40);
  });

  it("answers a repeated request from memory instead of paying for another call", async () => {
    double = await startCostExplorerDouble({ lines });
    await fetchDailyCosts(source(double.endpoint), "2026-11-01", "2026-11-11");
    const after = double.requests.length;
    const again = await fetchDailyCosts(source(double.endpoint), "2026-11-01", "2026-11-11");
    expect(double.requests.length).toBe(after);
    expect(again.calls).toBe(0);
  });

  // awsEndpoint goes through the URL policy: listed host:port only, and every connection the SDK opens is checked.
  it("refuses an endpoint that is not on the URL allow-list, sending nothing", async () => {
    double = await startCostExplorerDouble({ lines });
    await expect(fetchDailyCosts(source(double.endpoint, []), "2026-11-01", "2026-11-11")).rejects.toThrow(
      /awsEndpoint .* is not on the URL allow-list.*Settings → URL allow-list/,
    );
    expect(double.requests).toHaveLength(0);
  });

  it("checks the endpoint's addresses when the SDK connects: a listed name resolving to metadata is refused", async () => {
    double = await startCostExplorerDouble({ lines });
    const port = new URL(double.endpoint).port;
    const named = (address: string) => ({
      ...source(`http://ce.internal.test:${port}`),
      maxAttempts: 1,
      resolve: changingResolver([address]),
    });
    const got = await fetchDailyCosts(named("127.0.0.1"), "2026-11-01", "2026-11-11");
    expect(got.calls).toBe(2);
    clearCostExplorerMemo();
    const before = double.requests.length;
    await expect(fetchDailyCosts(named("169.254.169.254"), "2026-11-01", "2026-11-11")).rejects.toThrow(
      /169\.254\.169\.254, link-local/,
    );
    expect(double.requests.length).toBe(before);
  });
});

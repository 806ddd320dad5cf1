import { assert, describe, expect, it } from "vitest";
import type { InferenceLoadRow } from "@/lib/costs/sources/inference-load";
import { NOW, plantRows } from "@/lib/costs/planted-fleet.test-helper";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { HOUR_MS } from "@/lib/costs/schema";
import { unitEconomics } from "./unit-economics";

describe("unitEconomics", () => {
  // Two g5.xlarge GPUs serving two models for one day: "chat" serves 30 req/s, "embed" 10 req/s, every hour.
  const rows = plantRows([
    {
      team: "search",
      nodePool: "serving",
      instanceType: "g5.xlarge",
      workloadType: "inference",
      gpus: 2,
      days: 1,
      utilization: () => 50,
    },
  ]);
  const hours = [...new Set(rows.map((r) => r.hour))];
  const load = (model: string, rps: number): InferenceLoadRow[] =>
    hours.map((hour) => ({
      hour,
      source: "test",
      team: "search",
      nodePool: "serving",
      model,
      modelVersion: "v1",
      requestsPerSecond: rps,
      queueDepthAvg: 0,
      queueDepthMax: 0,
      replicas: 1,
    }));
  const dayCost = 24 * 2 * gpuHourlyRate("aws", "g5.xlarge", "on_demand");

  it("shares the pool's cost among its models by requests and divides by the requests served", () => {
    const out = unitEconomics(rows, [...load("chat", 30), ...load("embed", 10)]);
    expect(out.map((r) => r.model)).toEqual(["chat", "embed"]);
    const [chat, embed] = out;
    assert(chat && embed, "a row per model server");
    expect(chat.day).toBe(new Date(NOW - HOUR_MS).toISOString().slice(0, 10));
    expect(chat.requests).toBeCloseTo(30 * 86_400, 6);
    expect(chat.costUsd).toBeCloseTo(dayCost * 0.75, 6);
    expect(chat.costPer1kRequestsUsd).toBeCloseTo((dayCost * 0.75) / (30 * 86.4), 9);
    expect(embed.costUsd).toBeCloseTo(dayCost * 0.25, 6);
    // Same cost per request for both: the cost follows the requests.
    expect(embed.costPer1kRequestsUsd).toBeCloseTo(chat.costPer1kRequestsUsd!, 9);
  });

  it("prices a million generated tokens over the tokens the model generated, and none for a server that counts none", () => {
    const withTokens = (model: string, rps: number, tps: number | null) =>
      load(model, rps).map((l) => ({ ...l, generatedTokensPerSecond: tps }));
    const [chat, embed] = unitEconomics(rows, [...withTokens("chat", 30, 6000), ...withTokens("embed", 10, null)]);
    assert(chat && embed, "a row per model server");
    expect(chat.generatedTokens).toBeCloseTo(6000 * 86_400, 3);
    expect(chat.costPerMillionTokensUsd).toBeCloseTo((dayCost * 0.75) / (6000 * 0.0864), 9);
    expect(chat.tokenCoverage).toBeCloseTo(1, 9);
    expect([embed.generatedTokens, embed.costPerMillionTokensUsd, embed.tokenCoverage]).toEqual([null, null, 0]);
  });

  it("prices tokens over the hours that counted them only, and says what share of the cost that is", () => {
    const half = load("chat", 30).map((l, i) => ({
      ...l,
      generatedTokensPerSecond: i < hours.length / 2 ? 6000 : null,
    }));
    const [chat] = unitEconomics(rows, half);
    assert(chat, "a row for chat");
    expect(chat.tokenCoverage).toBeCloseTo(0.5, 9);
    expect(chat.costPerMillionTokensUsd).toBeCloseTo((dayCost * 0.5) / (6000 * 0.0432), 9);
  });

  it("keeps a day without requests at its cost, with no per-request figure", () => {
    const [row] = unitEconomics(rows, load("chat", 0));
    assert(row, "a row for chat");
    expect(row.costUsd).toBeCloseTo(dayCost, 6);
    expect(row.costPer1kRequestsUsd).toBeNull();
  });
});

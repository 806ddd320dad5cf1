import { describe, expect, it } from "vitest";
import { plantSamples } from "@/lib/costs/planted-fleet.test-helper";
import { gpuHourlyRate } from "./gpu-rates";
import { gpuTypeOfModel, priceSamples } from "./sample-prices";

describe("gpuTypeOfModel", () => {
  it.each([
    ["NVIDIA A10G", "nvidia-a10g"],
    ["NVIDIA A100-SXM4-80GB", "nvidia-a100-80gb"],
    ["NVIDIA A100-SXM4-40GB", "nvidia-a100"],
    ["NVIDIA H100 80GB HBM3", "nvidia-h100"],
    ["Tesla T4", "nvidia-t4"],
    ["NVIDIA L4", "nvidia-l4"],
    ["NVIDIA A10", "nvidia-a10"],
    ["Quadro RTX 6000", null],
  ])("%s → %s", (model, type) => {
    expect(gpuTypeOfModel(model)).toBe(type);
  });
});

describe("priceSamples: a GPU-hour without a list price is estimated or flagged, never dropped", () => {
  const known = plantSamples({ nodePool: "inf", instanceType: "g5.12xlarge", gpus: 2, days: 1, utilization: () => 50 });
  const unknownInPool = plantSamples({
    nodePool: "inf",
    instanceType: "g5.48xlarge-new",
    gpus: 1,
    days: 1,
    utilization: () => 50,
  });
  const unknownElsewhere = plantSamples({
    nodePool: "other",
    instanceType: "unknown",
    gpus: 1,
    days: 1,
    utilization: () => 50,
  }).map((s) => ({ ...s, gpuModel: "NVIDIA L4" }));
  const nothing = plantSamples({
    nodePool: "unknown",
    instanceType: "unknown",
    gpus: 1,
    days: 1,
    utilization: () => 50,
  });
  const price = priceSamples([...known, ...unknownInPool, ...unknownElsewhere, ...nothing], "aws");

  it("uses the list price where there is one", () => {
    expect(price(known[0]!)).toEqual({ rate: gpuHourlyRate("aws", "g5.12xlarge", "on_demand"), basis: "list" });
  });
  it("prices an unknown type as its pool's priced type", () => {
    expect(price(unknownInPool[0]!)).toEqual({
      rate: gpuHourlyRate("aws", "g5.12xlarge", "on_demand"),
      basis: "pool",
      pricedAs: "g5.12xlarge",
    });
  });
  it("else as the cheapest type with the same GPU", () => {
    expect(price(unknownElsewhere[0]!)).toEqual({
      rate: gpuHourlyRate("aws", "g6.xlarge", "on_demand"),
      basis: "gpu-model",
      pricedAs: "g6.xlarge",
    });
  });
  it("else flags it at $0", () => {
    expect(price(nothing[0]!)).toEqual({ rate: 0, basis: "none" });
  });
});

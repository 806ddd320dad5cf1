import { describe, expect, it } from "vitest";
import { evaluateGpuQuota, parseQuantity } from "./gpu-quota";

const quota = (name: string, hard: string, used?: string) => ({
  metadata: { name },
  spec: { hard: { "requests.nvidia.com/gpu": hard } },
  status: {
    hard: { "requests.nvidia.com/gpu": hard },
    ...(used !== undefined ? { used: { "requests.nvidia.com/gpu": used } } : {}),
  },
});

describe("evaluateGpuQuota", () => {
  it.each([
    ["no quota at all", [], 64, true],
    ["room left", [quota("gpu", "8", "2")], 6, true],
    ["exactly full after the request", [quota("gpu", "8", "2")], 6, true],
    ["one GPU too many", [quota("gpu", "8", "2")], 7, false],
    ["nothing used yet (no status.used)", [quota("gpu", "4")], 4, true],
  ])("%s", (_name, quotas, requested, ok) => {
    expect(evaluateGpuQuota("ml", requested, quotas).ok).toBe(ok);
  });

  it("applies the tightest of several quotas and reports its numbers", () => {
    const verdict = evaluateGpuQuota("ml", 3, [quota("team", "16", "4"), quota("burst", "4", "2")]);
    expect(verdict).toMatchObject({
      ok: false,
      reason: "quota_exceeded",
      quotaName: "burst",
      hard: 4,
      used: 2,
      requested: 3,
    });
    expect(!verdict.ok && verdict.recovery).toEqual([
      "Request a quota increase: ask a platform admin to raise requests.nvidia.com/gpu in ResourceQuota burst (namespace ml) to at least 5",
      "Optimize: request at most 2 GPUs (fewer replicas or smaller GPU counts per pod), or free GPUs by scaling down idle workloads in ml",
    ]);
  });

  it.each([
    ["8", 8],
    ["500m", 0.5],
    ["2k", 2000],
    ["x", undefined],
  ])("parses quantity %s", (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });
});

import { describe, expect, it } from "vitest";
import { costExportQuerySchema, storedCostSettingsSchema } from "./schema";

describe("storedCostSettingsSchema", () => {
  it("reads a setting that still holds the former Prometheus allow-list, dropping it and keeping its other values", () => {
    const stored = {
      sources: ["prometheus"],
      prometheusUrl: "http://10.1.2.3:9090",
      prometheusAllow: ["192.168.0.0/-8", "10.0.0.0/8"],
      staleAfterHours: 6,
    };
    const read = storedCostSettingsSchema.parse(stored);
    expect(read).toMatchObject({ sources: ["prometheus"], prometheusUrl: "http://10.1.2.3:9090", staleAfterHours: 6 });
    expect(read).not.toHaveProperty("prometheusAllow");
  });

  it("still refuses what was never valid", () => {
    expect(storedCostSettingsSchema.safeParse({ staleAfterHours: 0 }).success).toBe(false);
  });
});

describe("costExportQuerySchema", () => {
  it("shares idle only by team, naming the field otherwise", () => {
    expect(costExportQuerySchema.parse({ groupBy: "team", shareIdle: "true" })).toMatchObject({
      groupBy: "team",
      shareIdle: true,
    });
    expect(costExportQuerySchema.parse({})).toMatchObject({ shareIdle: false });
    const refused = costExportQuerySchema.safeParse({ groupBy: "nodePool", shareIdle: "true" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({
      path: ["shareIdle"],
      message: expect.stringMatching(/groupBy=team/),
    });
  });
});

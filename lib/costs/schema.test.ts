import { describe, expect, it } from "vitest";
import { storedCostSettingsSchema } from "./schema";

describe("storedCostSettingsSchema", () => {
  it("reads a setting that still holds the former Prometheus allow-list, dropping it and keeping its other values", () => {
    const stored = { sources: ["prometheus"], prometheusUrl: "http://10.1.2.3:9090", prometheusAllow: ["192.168.0.0/-8", "10.0.0.0/8"], staleAfterHours: 6 };
    const read = storedCostSettingsSchema.parse(stored);
    expect(read).toMatchObject({ sources: ["prometheus"], prometheusUrl: "http://10.1.2.3:9090", staleAfterHours: 6 });
    expect(read).not.toHaveProperty("prometheusAllow");
  });

  it("still refuses what was never valid", () => {
    expect(storedCostSettingsSchema.safeParse({ staleAfterHours: 0 }).success).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { fieldErrorsFromIssues } from "@/lib/http/errors";
import { costExportQuerySchema, costSettingsSchema, storedCostSettingsSchema } from "./schema";

/** The 422 `fields` the API answers for a settings body (route() turns the schema's issues into these). */
function fieldsOf(body: unknown) {
  const result = costSettingsSchema.safeParse(body);
  return result.success ? [] : fieldErrorsFromIssues(result.error.issues);
}

describe("costSettingsSchema prometheusAllow", () => {
  it("accepts host names, IP addresses and CIDRs", () => {
    const allow = ["prometheus.monitoring.svc", "127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"];
    expect(costSettingsSchema.parse({ prometheusAllow: allow }).prometheusAllow).toEqual(allow);
  });

  it("refuses each malformed entry at its own index, naming the entry and what to write", () => {
    expect(fieldsOf({ prometheusAllow: ["10.0.0.0/8", "192.168.0.0/-8", "prometheus.svc", "10.0.0.0/abc"] })).toEqual([
      { path: "prometheusAllow.1", message: expect.stringMatching(/^"192\.168\.0\.0\/-8" .*use a host name, an IP address or a CIDR such as 10\.0\.0\.0\/8/) },
      { path: "prometheusAllow.3", message: expect.stringMatching(/^"10\.0\.0\.0\/abc" .*use a host name, an IP address or a CIDR such as 10\.0\.0\.0\/8/) },
    ]);
  });

  it.each(["0.0.0.0/0", "::/0"])("refuses %j, which would allow every address", (entry) => {
    expect(fieldsOf({ prometheusAllow: [entry] })).toEqual([{ path: "prometheusAllow.0", message: expect.stringMatching(/matches every address.*refused/) }]);
  });

  it("refuses an empty entry and more than 50 entries", () => {
    expect(fieldsOf({ prometheusAllow: [""] }).map((f) => f.path)).toEqual(["prometheusAllow.0"]);
    expect(fieldsOf({ prometheusAllow: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`) }).map((f) => f.path)).toEqual(["prometheusAllow"]);
  });
});

describe("storedCostSettingsSchema", () => {
  it("reads a setting saved before entries were checked, keeping its other values", () => {
    const stored = { sources: ["prometheus"], prometheusUrl: "http://10.1.2.3:9090", prometheusAllow: ["192.168.0.0/-8", "10.0.0.0/8"], staleAfterHours: 6 };
    expect(costSettingsSchema.safeParse(stored).success).toBe(false);
    expect(storedCostSettingsSchema.parse(stored)).toMatchObject({ sources: ["prometheus"], prometheusAllow: ["192.168.0.0/-8", "10.0.0.0/8"], staleAfterHours: 6 });
  });

  it("still refuses what was never valid", () => {
    expect(storedCostSettingsSchema.safeParse({ staleAfterHours: 0 }).success).toBe(false);
    expect(storedCostSettingsSchema.safeParse({ prometheusAllow: Array.from({ length: 51 }, () => "x") }).success).toBe(false);
  });
});

describe("costExportQuerySchema", () => {
  it("shares idle only by team, naming the field otherwise", () => {
    expect(costExportQuerySchema.parse({ groupBy: "team", shareIdle: "true" })).toMatchObject({ groupBy: "team", shareIdle: true });
    expect(costExportQuerySchema.parse({})).toMatchObject({ shareIdle: false });
    const refused = costExportQuerySchema.safeParse({ groupBy: "nodePool", shareIdle: "true" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ["shareIdle"], message: expect.stringMatching(/groupBy=team/) });
  });
});

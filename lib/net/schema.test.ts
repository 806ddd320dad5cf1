import { describe, expect, it } from "vitest";
import { fieldErrorsFromIssues } from "@/lib/errors/domain-error";
import { storedUrlAllowListSchema, urlAllowListSchema } from "./schema";

/** The 422 `fields` the API answers for a body (route() turns the schema's issues into these). */
function fieldsOf(body: unknown) {
  const result = urlAllowListSchema.safeParse(body);
  return result.success ? [] : fieldErrorsFromIssues(result.error.issues);
}

describe("urlAllowListSchema", () => {
  it("accepts host, IP and CIDR entries with a port", () => {
    const entries = [
      "prometheus.monitoring.svc:9090",
      "127.0.0.1:3000",
      "10.0.0.0/8:*",
      "[fd00::/8]:443",
      "[::1]:9090",
    ];
    expect(urlAllowListSchema.parse({ entries })).toEqual({ entries });
  });

  it("refuses each bad entry at its own index, naming the entry and what to write", () => {
    expect(
      fieldsOf({ entries: ["10.0.0.0/8:80", "192.168.0.0/-8:80", "prometheus.svc:9090", "prometheus.svc"] }),
    ).toEqual([
      {
        path: "entries.1",
        message: expect.stringMatching(
          /^"192\.168\.0\.0\/-8:80" has a prefix length .*: write host:port, IP:port or CIDR:port, such as prometheus\.monitoring\.svc:9090/,
        ),
      },
      { path: "entries.3", message: expect.stringMatching(/^"prometheus\.svc" has no port: write host:port/) },
    ]);
  });

  it.each(["0.0.0.0/0:80", "[::/0]:*"])("refuses %j, which would allow every address", (entry) => {
    expect(fieldsOf({ entries: [entry] })).toEqual([
      { path: "entries.0", message: expect.stringMatching(/matches every address/) },
    ]);
  });

  it("refuses more than 100 entries", () => {
    expect(fieldsOf({ entries: Array.from({ length: 101 }, (_, i) => `10.0.0.${i}:80`) })).toEqual([
      { path: "entries", message: expect.stringMatching(/at most 100 entries: use a CIDR/) },
    ]);
  });

  it("reads a stored list leniently (bad entries are kept, and match nothing) and an absent one as empty", () => {
    expect(storedUrlAllowListSchema.parse({ entries: ["10.0.0.0/8"] })).toEqual({ entries: ["10.0.0.0/8"] });
    expect(storedUrlAllowListSchema.parse({})).toEqual({ entries: [] });
  });
});

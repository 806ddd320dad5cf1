import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

const base = { DATABASE_URL: "postgresql://u@127.0.0.1:5432/db" };

describe("parseEnv", () => {
  it("accepts a minimal development environment and fills defaults", () => {
    const result = parseEnv(base);
    expect(result.ok && result.env).toMatchObject({
      NODE_ENV: "development",
      PORT: 3000,
      PORTAL_DEMO_LOGIN: false,
      WORKER_CONCURRENCY: 2,
    });
  });

  it("requests the scopes OIDC_SCOPES names, openid among them", () => {
    const scopes = (value?: string) => {
      const r = parseEnv(value === undefined ? base : { ...base, OIDC_SCOPES: value });
      return r.ok ? r.env.OIDC_SCOPES : r.problems.join("; ");
    };
    expect(scopes()).toBe("openid email profile");
    expect(scopes("openid email profile groups")).toBe("openid email profile groups");
    expect(scopes("email groups")).toContain("OIDC_SCOPES: must include openid");
    expect(scopes("openid  groups")).toContain("OIDC_SCOPES: must be scopes separated by single spaces");
  });

  it.each([
    [{}, "DATABASE_URL"],
    [{ ...base, DATABASE_URL: "mysql://x" }, "DATABASE_URL: must be a postgresql:// URL"],
    [{ ...base, NODE_ENV: "production" }, "NEXTAUTH_SECRET: is required in production"],
    [{ ...base, NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET: must be at least 32 characters"],
    [
      { ...base, OIDC_ISSUER: "https://id.example.com" },
      "OIDC_ISSUER: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
    ],
    [{ ...base, PORT: "70000" }, "PORT"],
    [{ ...base, HOST: "every interface" }, "HOST: must be an IP address or host name"],
    [{ ...base, PORTAL_EMBEDDED_PG_PORT: "0" }, "PORTAL_EMBEDDED_PG_PORT"],
    [{ ...base, PORTAL_DEMO_LOGIN: "yes" }, "PORTAL_DEMO_LOGIN"],
    [{ ...base, METRICS_TOKEN: "short" }, "METRICS_TOKEN: must be at least 16 characters"],
    [{ ...base, METRICS_TOKEN: "0123456789abcdef0123\n" }, "METRICS_TOKEN: must be a bearer token"],
    [{ ...base, METRICS_TOKEN: "0123456789 abcdef0123" }, "METRICS_TOKEN: must be a bearer token"],
  ])("rejects %j naming the variable", (env, expected) => {
    const result = parseEnv(env as Record<string, string>);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join("\n")).toContain(expected);
  });

  it("listens on loopback unless HOST says otherwise", () => {
    const unset = parseEnv(base);
    expect(unset.ok && unset.env.HOST).toBe("127.0.0.1");
    for (const host of ["0.0.0.0", "::", "10.1.2.3", "portal.internal"]) {
      const result = parseEnv({ ...base, HOST: host });
      expect(result.ok && result.env.HOST).toBe(host);
    }
  });

  it("accepts a hex or base64 METRICS_TOKEN and leaves it unset by default", () => {
    for (const token of ["0123456789abcdef0123456789abcdef", "q83vEjRWeJq83vEjRWeJq83vEjRWeJq8+/Aa0Q=="]) {
      const result = parseEnv({ ...base, METRICS_TOKEN: token });
      expect(result.ok && result.env.METRICS_TOKEN).toBe(token);
    }
    const unset = parseEnv(base);
    expect(unset.ok && unset.env.METRICS_TOKEN).toBeUndefined();
  });

  it("never turns demo sign-in on by default, not even in production", () => {
    const result = parseEnv({ ...base, NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(40) });
    expect(result.ok && result.env.PORTAL_DEMO_LOGIN).toBe(false);
  });
});

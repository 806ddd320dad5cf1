import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/config/env";
import { bearerTokenMatches, decideMetricsAccess, metricsAccessSettings } from "./metrics-access";

const token = "0123456789abcdef0123456789abcdef";

describe("bearerTokenMatches", () => {
  it.each([
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`BEARER  ${token} `, true],
    [null, false],
    ["", false],
    ["Bearer", false],
    ["Bearer ", false],
    [token, false],
    [`Basic ${token}`, false],
    [`Bearer ${token.slice(0, -1)}`, false],
    [`Bearer ${token}0`, false],
    [`Bearer ${token.toUpperCase()}`, false],
    [`Bearer ${token} extra`, false],
  ])("%j → %s", (header, expected) => {
    expect(bearerTokenMatches(header, token)).toBe(expected);
  });
});

describe("decideMetricsAccess", () => {
  it.each([
    [
      "token set, right token",
      { token, production: true, demoSignIn: false },
      `Bearer ${token}`,
      { allowed: true, teamMetrics: true },
    ],
    ["token set, no header", { token, production: true, demoSignIn: false }, null, { allowed: false }],
    [
      "token set, wrong token",
      { token, production: false, demoSignIn: true },
      "Bearer wrong-token-wrong-token",
      { allowed: false },
    ],
    [
      "no token, production",
      { token: undefined, production: true, demoSignIn: false },
      null,
      { allowed: true, teamMetrics: false },
    ],
    [
      "no token, production, a bearer token sent anyway",
      { token: undefined, production: true, demoSignIn: false },
      `Bearer ${token}`,
      { allowed: true, teamMetrics: false },
    ],
    [
      "no token, development",
      { token: undefined, production: false, demoSignIn: false },
      null,
      { allowed: true, teamMetrics: true },
    ],
    [
      "no token, production with demo sign-in (npm start)",
      { token: undefined, production: true, demoSignIn: true },
      null,
      { allowed: true, teamMetrics: true },
    ],
  ])("%s", (_, settings, header, expected) => {
    expect(decideMetricsAccess(settings, header)).toEqual(expected);
  });
});

describe("metricsAccessSettings", () => {
  it("reads METRICS_TOKEN, NODE_ENV and PORTAL_DEMO_LOGIN from the validated environment", () => {
    const parsed = parseEnv({
      DATABASE_URL: "postgresql://u@h/db",
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "s".repeat(40),
      METRICS_TOKEN: token,
    });
    expect(parsed.ok && metricsAccessSettings(parsed.env)).toEqual({ token, production: true, demoSignIn: false });
  });
});

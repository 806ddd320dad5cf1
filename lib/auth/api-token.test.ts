import { describe, expect, it } from "vitest";
import { actions } from "./permissions";
import { bearerSecret, createTokenSchema, looksLikeToken, scopeActions, scopesCover } from "./api-token";

describe("scopesCover", () => {
  it("maps requests:write to request.create and costs:read to costs.read, and nothing else across", () => {
    expect(scopesCover(["requests:write"], "request.create")).toBe(true);
    expect(scopesCover(["costs:read"], "costs.read")).toBe(true);
    expect(scopesCover(["costs:read"], "request.create")).toBe(false);
    expect(scopesCover(["requests:read"], "request.create")).toBe(false);
  });

  it("denies by default: no scope, unknown scopes and prototype names cover nothing", () => {
    for (const action of actions) {
      expect(scopesCover([], action)).toBe(false);
      expect(scopesCover(["admin", "toString", "__proto__", "*"], action)).toBe(false);
    }
  });

  it("never lets a token reach token management, settings or protected-namespace overrides", () => {
    const all = Object.keys(scopeActions);
    for (const action of [
      "token.manage",
      "settings.manage",
      "people.manage",
      "home.read",
      "drill.override-protected",
    ] as const)
      expect(scopesCover(all, action)).toBe(false);
  });
});

describe("bearer tokens", () => {
  it("reads the secret of a Bearer header only", () => {
    expect(bearerSecret("Bearer mlp_x")).toBe("mlp_x");
    expect(bearerSecret("bearer  mlp_x ")).toBe("mlp_x");
    expect(bearerSecret("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerSecret(null)).toBeNull();
  });

  it("recognises the mlp_ + 43 base64url shape", () => {
    expect(looksLikeToken(`mlp_${"a".repeat(43)}`)).toBe(true);
    expect(looksLikeToken(`mlp_${"a".repeat(42)}`)).toBe(false);
    expect(looksLikeToken(`xyz_${"a".repeat(43)}`)).toBe(false);
  });
});

describe("createTokenSchema", () => {
  it("requires an expiry of 1 to 365 days, naming expiresInDays", () => {
    for (const expiresInDays of [undefined, 0, 366, 1.5]) {
      const result = createTokenSchema.safeParse({ name: "ci pipeline", scopes: ["requests:read"], expiresInDays });
      expect(result.success, String(expiresInDays)).toBe(false);
      expect(result.error?.issues[0]!.path).toEqual(["expiresInDays"]);
    }
    expect(
      createTokenSchema.safeParse({
        name: "ci pipeline",
        scopes: ["requests:read", "requests:read"],
        expiresInDays: 365,
      }).data?.scopes,
    ).toEqual(["requests:read"]);
  });
});

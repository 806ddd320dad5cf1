import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_DELIVERY_ATTEMPTS, nextStep, retryDelaySeconds } from "./delivery-policy";
import { signBody, verifySignature } from "./webhook-signature";

describe("retry backoff", () => {
  it.each([
    [1, 30, 30],
    [2, 30, 60],
    [3, 30, 120],
    [5, 30, 480],
    [20, 30, 3600],
    [1, 1, 1],
  ])("after failed attempt %i with a %i s base the next waits %i s", (attempt, base, expected) => {
    expect(retryDelaySeconds(attempt, base)).toBe(expected);
  });

  it("retries until the last attempt, then gives up; a success is final", () => {
    const now = new Date("2026-12-07T10:00:00Z");
    expect(nextStep({ ok: false, attempt: 1, maxAttempts: MAX_DELIVERY_ATTEMPTS, now })).toEqual({
      status: "retrying",
      at: new Date("2026-12-07T10:00:30Z"),
    });
    expect(nextStep({ ok: false, attempt: MAX_DELIVERY_ATTEMPTS, maxAttempts: MAX_DELIVERY_ATTEMPTS, now })).toEqual({
      status: "failed",
    });
    expect(nextStep({ ok: true, attempt: 3, maxAttempts: MAX_DELIVERY_ATTEMPTS, now })).toEqual({
      status: "delivered",
    });
  });
});

describe("webhook signature", () => {
  const body = '{"event":"approval.needed"}';
  it("is GitHub's scheme: sha256= and the hex HMAC-SHA256 of the body", () => {
    expect(signBody(body, "whsec_test")).toBe(
      "sha256=" + createHmac("sha256", "whsec_test").update(body).digest("hex"),
    );
    expect(signBody(body, "whsec_test")).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
  it.each([
    ["the right secret", "whsec_test", body, true],
    ["another secret", "whsec_other", body, false],
    ["a changed body", "whsec_test", body.replace("approval", "apprOval"), false],
  ])("verifies with %s: %s", (_what, secret, received, expected) => {
    expect(verifySignature(received, secret, signBody(body, "whsec_test"))).toBe(expected);
  });
  it("refuses a missing or truncated header", () => {
    expect(verifySignature(body, "whsec_test", undefined)).toBe(false);
    expect(verifySignature(body, "whsec_test", signBody(body, "whsec_test").slice(0, 20))).toBe(false);
  });
});

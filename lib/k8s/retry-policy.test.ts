import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffDelayMs, callWithRetries } from "./retry-policy";

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
const httpError = (code: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error("x"), { code, body: "{}", headers });

describe("backoffDelayMs", () => {
  it("stays within [0, min(max, base·2^(n-1))] for any jitter", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const delay = backoffDelayMs(attempt, policy, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (attempt - 1)));
      }),
    );
  });

  it("waits at least as long as Retry-After asks", () => {
    expect(backoffDelayMs(1, policy, () => 0, 3)).toBe(3000);
  });
});

describe("callWithRetries", () => {
  it("retries 5xx until it succeeds and reports the attempts", async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const result = await callWithRetries(
      async () => {
        if (++calls < 3) throw httpError(503);
        return "done";
      },
      { policy, sleep: async (ms) => void sleeps.push(ms), random: () => 1 },
    );
    expect(result).toEqual({ ok: true, value: "done", attempts: 3 });
    expect(sleeps).toEqual([100, 200]);
  });

  it("gives up after maxAttempts with the last failure", async () => {
    const result = await callWithRetries(() => Promise.reject(httpError(500)), {
      policy,
      sleep: async () => undefined,
    });
    expect(result).toMatchObject({ ok: false, attempts: 4, failure: { code: 500 } });
  });

  it("does not retry a 409 or 422", async () => {
    let calls = 0;
    const result = await callWithRetries(
      () => {
        calls++;
        return Promise.reject(httpError(422));
      },
      { policy, sleep: async () => undefined },
    );
    expect([result.ok, calls]).toEqual([false, 1]);
  });
});

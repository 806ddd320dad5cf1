import { afterEach, describe, expect, it, vi } from "vitest";
import { withinTime } from "./time-box";

afterEach(() => vi.useRealTimers());

describe("withinTime", () => {
  it("gives the late value when the read does not answer in time (an unreachable cluster holds no page)", async () => {
    vi.useFakeTimers();
    const never = new Promise<string>(() => {});
    const result = withinTime(never, 3000, () => "no answer within 3 s");
    await vi.advanceTimersByTimeAsync(3000);
    await expect(result).resolves.toBe("no answer within 3 s");
  });

  it("gives the read's own value when it answers first, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    await expect(withinTime(Promise.resolve("ok"), 3000, () => "late")).resolves.toBe("ok");
    expect(vi.getTimerCount()).toBe(0);
  });
});

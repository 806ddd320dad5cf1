import { describe, expect, it } from "vitest";
import { cronMatches } from "./cron";

describe("cronMatches", () => {
  it.each([
    ["*/2 * * * *", "2026-03-01T10:04:00Z", true],
    ["*/2 * * * *", "2026-03-01T10:05:00Z", false],
    ["0 3 * * *", "2026-03-01T03:00:30Z", true],
    ["0 3 * * *", "2026-03-01T04:00:00Z", false],
    ["30 2 * * 0", "2026-03-01T02:30:00Z", true], // 2026-03-01 is a Sunday
    ["30 2 * * 7", "2026-03-01T02:30:00Z", true],
    ["30 2 * * mon", "2026-03-01T02:30:00Z", false],
    ["0 0 15 * mon", "2026-03-02T00:00:00Z", true], // either restricted day field may match
    ["0 0 15 * mon", "2026-03-03T00:00:00Z", false],
    ["10-20/5 * * * *", "2026-03-01T00:15:00Z", true],
    ["10-20/5 * * * *", "2026-03-01T00:25:00Z", false],
  ])("%s at %s → %s", (expression, at, expected) => {
    expect(cronMatches(expression, new Date(at))).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { trendCaption, trendData, trendUnit } from "@/components/dr/drill-trend-chart";
import { formatDuration } from "./drill-verdict";
import { measuredMinutes } from "./plan-history-row";

describe("a run's RTO in the plan history (home page trend)", () => {
  it("is the run's recorded figure: a 3 s RTO reads 3 s on the home trend, as on the run page", () => {
    const m = measuredMinutes({ measuredRtoSeconds: 3, measuredRpoSeconds: null });
    const point = {
      id: "r",
      at: "2026-12-07T21:12:00.000Z",
      status: "passed",
      ...m,
      rtoTargetMinutes: 15,
      rpoTargetMinutes: 60,
    };
    const unit = trendUnit([point]);
    expect(trendCaption(trendData([point], unit)[0]!, unit.unit)).toBe(
      "last: RTO 3 s (target 900 s) · RPO not measured (target 3,600 s)",
    );
    expect(formatDuration(3)).toBe("3s");
  });

  it("keeps odd seconds and minutes exact", () => {
    for (const s of [1, 7, 29, 61, 125, 3599]) {
      const m = measuredMinutes({ measuredRtoSeconds: s, measuredRpoSeconds: s });
      expect(Math.round(m.rtoMinutes! * 60)).toBe(s);
      expect(Math.round(m.rpoMinutes! * 60)).toBe(s);
    }
  });
});

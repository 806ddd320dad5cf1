import { describe, expect, it } from "vitest";
import { trendCaption, trendData, trendTargets, trendUnit, type TrendPoint } from "./drill-trend-chart";

const point = (rtoMinutes: number | null, rpoMinutes: number | null): TrendPoint => ({
  id: "r",
  at: "2026-03-01T10:00:00.000Z",
  status: "passed",
  rtoMinutes,
  rpoMinutes,
  rtoTargetMinutes: 15,
  rpoTargetMinutes: 60,
});

describe("the RTO/RPO trend's unit", () => {
  it("uses seconds when every measured value is under two minutes, targets included in that unit", () => {
    const points = [point(3 / 60, 0.5)];
    const unit = trendUnit(points);
    expect(unit.unit).toBe("s");
    expect(trendData(points, unit)[0]).toMatchObject({ rto: 3, rpo: 30, rtoTarget: 900, rpoTarget: 3600 });
  });

  it("keeps minutes when a drill took two minutes or more, or none measured anything", () => {
    expect(trendUnit([point(3 / 60, 0.5), point(12, null)]).unit).toBe("min");
    expect(trendUnit([point(null, null)]).unit).toBe("min");
    expect(trendData([point(12, null)], trendUnit([point(12, null)]))[0]).toMatchObject({ rto: 12, rpo: null });
  });
});

describe("the RTO/RPO trend's caption and target lines", () => {
  it("names each measure with its target and says when RPO was not measured", () => {
    const points = [point(6 / 60, null)];
    const unit = trendUnit(points);
    expect(trendCaption(trendData(points, unit)[0]!, unit.unit)).toBe(
      "last: RTO 6 s (target 900 s) · RPO not measured (target 3,600 s)",
    );
  });

  it("keeps targets far above the measured values off the chart, so the points do not sit on the axis", () => {
    const tiny = [point(6 / 60, null)];
    expect(trendTargets(trendData(tiny, trendUnit(tiny)))).toEqual({ rto: false, rpo: false });
    const close = [point(10, 40)];
    expect(trendTargets(trendData(close, trendUnit(close)))).toEqual({ rto: true, rpo: true });
    const none = [point(null, null)];
    expect(trendTargets(trendData(none, trendUnit(none)))).toEqual({ rto: true, rpo: true });
  });
});

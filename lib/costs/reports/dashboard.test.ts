import { describe, expect, it } from "vitest";
import { lookupPrice } from "@/lib/pricing/lookup-price";
import { budgetStatus, heatMapMatrix, pivotDailyCost, spotSummary } from "./dashboard";
import { forecastMonthEnd } from "@/lib/costs/rollups/forecast";
import { toCsv } from "./csv";
import { dayString } from "./dashboard";
import { liveGpuRate } from "@/lib/pricing/live-prices";
import { DAY_MS } from "@/lib/costs/schema";

describe("pivotDailyCost", () => {
  const start = Date.UTC(2026, 10, 1);
  const s = pivotDailyCost(
    [
      { day: "2026-11-01", group: "a", costUsd: 10, idleCostUsd: 1, gpuHoursAllocated: 1, gpuHoursUsed: 1 },
      { day: "2026-11-03", group: "b", costUsd: 30, idleCostUsd: 2, gpuHoursAllocated: 1, gpuHoursUsed: 1 },
      { day: "2026-10-31", group: "a", costUsd: 99, idleCostUsd: 0, gpuHoursAllocated: 1, gpuHoursUsed: 1 },
    ],
    start,
    3,
  );
  it("fills every day of the range and orders series by total", () => {
    expect(s.points.map((p) => p.day)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(s.keys).toEqual(["a", "b"]); // a's out-of-range 99 does not count
    expect(s.points[1]).toEqual({ day: "2026-11-02", a: 0, b: 0 });
    expect(s.totalUsd).toBe(40);
    expect(s.idleUsd).toBe(3);
  });
});

describe("spotSummary", () => {
  it("prices spot GPU-hours at the on-demand/spot difference of the table", () => {
    const p = lookupPrice("aws", "g5.xlarge")!;
    const r = spotSummary(
      [
        { instanceType: "g5.xlarge", capacityType: "spot", gpuHoursAllocated: 100, costUsd: 0 },
        { instanceType: "g5.xlarge", capacityType: "on_demand", gpuHoursAllocated: 300, costUsd: 0 },
      ],
      "aws",
    );
    expect(r.spotShare).toBeCloseTo(0.25);
    expect(r.savingsUsd).toBeCloseTo(100 * (p.onDemandHourly - p.spotHourly!), 2);
  });

  it("prices the saving at the costs' live price, 45% below the table", () => {
    const p = lookupPrice("aws", "g5.xlarge")!;
    const live = new Map([
      ["g5.xlarge", { instanceType: "g5.xlarge", onDemandHourly: p.onDemandHourly * 0.55, gpuCount: 1, fetchedAt: 0 }],
    ]);
    const rate = liveGpuRate("aws", live);
    const r = spotSummary(
      [{ instanceType: "g5.xlarge", capacityType: "spot", gpuHoursAllocated: 100, costUsd: 0 }],
      "aws",
      rate,
    );
    expect(r.savingsUsd).toBeCloseTo(100 * (rate("g5.xlarge", "on_demand") - rate("g5.xlarge", "spot")), 2);
    expect(r.savingsUsd).toBeLessThan(100 * (p.onDemandHourly - p.spotHourly!) * 0.6);
  });

  it("counts capacity of unknown type as neither spot nor on demand", () => {
    const r = spotSummary(
      [
        { instanceType: "g5.xlarge", capacityType: "spot", gpuHoursAllocated: 100, costUsd: 0 },
        { instanceType: "g5.xlarge", capacityType: "unknown", gpuHoursAllocated: 300, costUsd: 0 },
      ],
      "aws",
    );
    expect(r).toMatchObject({ spotGpuHours: 100, onDemandGpuHours: 0, spotShare: 0.25 });
  });
});

describe("heatMapMatrix", () => {
  it("weights by GPU-hours and leaves empty cells null", () => {
    const m = heatMapMatrix([
      { dow: 1, hour: 9, gpuHoursAllocated: 10, gpuHoursUsed: 8 },
      { dow: 1, hour: 9, gpuHoursAllocated: 30, gpuHoursUsed: 4 },
    ]);
    expect(m).toHaveLength(7);
    expect(m[1]![9]).toBeCloseTo(30);
    expect(m[0]![0]).toBeNull();
  });
});

describe("forecastMonthEnd", () => {
  const daily = (from: number, to: number, cost: (t: number) => number) => {
    const m = new Map<string, number>();
    for (let t = from; t < to; t += DAY_MS) m.set(dayString(t), cost(t));
    return m;
  };

  it("extends a flat month linearly and seasonally to the same total", () => {
    const now = Date.UTC(2026, 10, 11, 0); // 10 complete days of November (30 days)
    const f = forecastMonthEnd(
      daily(Date.UTC(2026, 9, 1), now, () => 100),
      now,
    );
    expect(f.monthToDateUsd).toBe(1000);
    expect(f.linearUsd).toBeCloseTo(3000, 6);
    expect(f.seasonalUsd).toBeCloseTo(3000, 6);
  });

  it("counts remaining weekend days at the weekend rate in the seasonal forecast", () => {
    const now = Date.UTC(2026, 10, 16, 0); // Monday 16 Nov; weekends cost 0, weekdays 100
    const weekday = (t: number) => (new Date(t).getUTCDay() % 6 === 0 ? 0 : 100);
    const f = forecastMonthEnd(daily(Date.UTC(2026, 9, 1), now, weekday), now);
    let rest = 0;
    for (let t = now; t < Date.UTC(2026, 11, 1); t += DAY_MS) rest += weekday(t);
    expect(f.seasonalUsd).toBeCloseTo(f.monthToDateUsd + rest, 6);
    expect(f.linearUsd).not.toBeCloseTo(f.seasonalUsd, 0);
  });

  it("raises the budget alert only when the forecast exceeds the budget", () => {
    expect(budgetStatus(1200, 1000)).toMatchObject({ alert: true, overByUsd: 200 });
    expect(budgetStatus(900, 1000).alert).toBe(false);
    expect(budgetStatus(900, null).alert).toBe(false);
  });
});

describe("toCsv", () => {
  it("quotes separators and defuses formulas", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          ["x,y", "=cmd()"],
          [1.23456789, null],
        ],
      ),
    ).toBe('a,b\r\n"x,y",\'=cmd()\r\n1.2346,\r\n');
  });
});

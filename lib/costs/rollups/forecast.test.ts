import { describe, expect, it } from "vitest";
import { dayString } from "@/lib/costs/reports/dashboard";
import { forecastMonthEnd, startingAtFirstCost } from "./forecast";
import { DAY_MS, HOUR_MS } from "@/lib/costs/schema";

/** A planted fleet whose cost is spread evenly over each day: `perDay(dayStart)` dollars that day. */
interface Fleet {
  name: string;
  perDay: (day: number) => number;
  /** First ingested hour (start) and end of the newest ingested hour. */
  from: number;
  until: number;
  now: number;
}

const weekdaysOnly = (usd: number) => (day: number) => (new Date(day).getUTCDay() % 6 === 0 ? 0 : usd);
const flat = (usd: number) => () => usd;

/** What ingestion stored: one entry per day with any cost, the day the data ends in prorated up to `until`. */
function ingested(f: Fleet): Map<string, number> {
  const m = new Map<string, number>();
  for (let day = Math.floor(f.from / DAY_MS) * DAY_MS; day < f.until; day += DAY_MS) {
    const share = (Math.min(day + DAY_MS, f.until) - Math.max(day, f.from)) / DAY_MS;
    const cost = f.perDay(day) * share;
    if (cost > 0) m.set(dayString(day), cost);
  }
  return m;
}

/** The month's true cost: every day of the month that `now` is in. */
function monthTruth(f: Fleet): number {
  const d = new Date(f.now);
  let sum = 0;
  for (
    let day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    day < Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    day += DAY_MS
  )
    sum += f.perDay(day);
  return sum;
}

const fleets: Fleet[] = [
  // Nothing runs at weekends, so there are no weekend rows: the weekend must count $0, not an average day.
  {
    name: "weekday-only team at noon on Mon 16 Nov 2026",
    perDay: weekdaysOnly(1000),
    from: Date.UTC(2026, 9, 1),
    until: Date.UTC(2026, 10, 16, 12),
    now: Date.UTC(2026, 10, 16, 12),
  },
  // The exporter stopped 10 hours ago: those hours are unknown, not $0.
  {
    name: "data lagging 10 hours at 23:00 on 20 Nov 2026",
    perDay: flat(2400),
    from: Date.UTC(2026, 9, 1),
    until: Date.UTC(2026, 10, 20, 13),
    now: Date.UTC(2026, 10, 20, 23),
  },
  {
    name: "month starting today (00:30 on 1 Nov 2026, data to 00:00)",
    perDay: flat(100),
    from: Date.UTC(2026, 9, 1),
    until: Date.UTC(2026, 10, 1),
    now: Date.UTC(2026, 10, 1, 0, 30),
  },
  {
    name: "data ending in the previous month (05:00 on 1 Dec 2026, data to 19:00 on 30 Nov)",
    perDay: weekdaysOnly(700),
    from: Date.UTC(2026, 9, 1),
    until: Date.UTC(2026, 10, 30, 19),
    now: Date.UTC(2026, 11, 1, 5),
  },
  {
    name: "February 2027 (28 days), weekday-only, 3 hours behind",
    perDay: weekdaysOnly(1000),
    from: Date.UTC(2026, 11, 1),
    until: Date.UTC(2027, 1, 10, 9),
    now: Date.UTC(2027, 1, 10, 12),
  },
  {
    name: "February 2028 (29 days), weekday-only, up to date",
    perDay: weekdaysOnly(1000),
    from: Date.UTC(2027, 11, 1),
    until: Date.UTC(2028, 1, 29, 6),
    now: Date.UTC(2028, 1, 29, 6, 40),
  },
];

describe("forecastMonthEnd on planted fleets", () => {
  it.each(fleets)("$name: the seasonal forecast is the month's true cost", (f) => {
    const forecast = forecastMonthEnd(ingested(f), f.now, { from: f.from, until: f.until });
    expect(forecast.seasonalUsd).toBeCloseTo(monthTruth(f), 1);
  });

  it.each(fleets)(
    "$name: the month to date is what was ingested this month, and the forecast starts where the data ends",
    (f) => {
      const forecast = forecastMonthEnd(ingested(f), f.now, { from: f.from, until: f.until });
      const monthStart = Date.UTC(new Date(f.now).getUTCFullYear(), new Date(f.now).getUTCMonth(), 1);
      const known = [...ingested(f)]
        .filter(([day]) => Date.parse(`${day}T00:00:00Z`) >= monthStart)
        .reduce((s, [, c]) => s + c, 0);
      expect(forecast.monthToDateUsd).toBeCloseTo(known, 1);
      expect(forecast.dataUntil).toBe(new Date(Math.max(monthStart, f.until)).toISOString());
      expect(forecast.daysInMonth).toBe(
        (Date.UTC(new Date(f.now).getUTCFullYear(), new Date(f.now).getUTCMonth() + 1, 1) - monthStart) / DAY_MS,
      );
    },
  );

  it("counts a day with no rows as $0 even without an explicit coverage, from the map's first day", () => {
    const f = fleets[0]!;
    expect(forecastMonthEnd(ingested(f), f.now).seasonalUsd).toBeCloseTo(21_000, 1);
  });

  it("skips days before the first ingested hour rather than counting them as $0 in the linear average", () => {
    // The source was configured on 9 Nov: 1–8 Nov are unknown, so the average day is $100, not 700 / 15.
    const f: Fleet = {
      name: "new source",
      perDay: flat(100),
      from: Date.UTC(2026, 10, 9),
      until: Date.UTC(2026, 10, 16),
      now: Date.UTC(2026, 10, 16),
    };
    const forecast = forecastMonthEnd(ingested(f), f.now, { from: f.from, until: f.until });
    expect(forecast.monthToDateUsd).toBe(700);
    expect(forecast.linearUsd).toBeCloseTo(700 + 15 * 100, 6);
    expect(forecast.seasonalUsd).toBeCloseTo(700 + 15 * 100, 6);
  });

  it("skips a first day that was only partly ingested", () => {
    // The first hour is 14:00 on 2 Nov: that day's $41.67 is not an average day.
    const f: Fleet = {
      name: "partial first day",
      perDay: flat(100),
      from: Date.UTC(2026, 10, 2, 14),
      until: Date.UTC(2026, 10, 10),
      now: Date.UTC(2026, 10, 10, 0, 20),
    };
    const forecast = forecastMonthEnd(ingested(f), f.now, { from: f.from, until: f.until });
    expect(forecast.linearUsd).toBeCloseTo(forecast.monthToDateUsd + 21 * 100, 1);
  });

  it("never counts data past now", () => {
    const f = fleets[1]!;
    const forecast = forecastMonthEnd(ingested(f), f.now, { from: f.from, until: f.now + 5 * HOUR_MS });
    expect(forecast.dataUntil).toBe(new Date(f.now).toISOString());
  });
});

describe("startingAtFirstCost: a team's forecast starts at its first cost", () => {
  // The source has data since 1 Oct; a new team has run one $1,200-a-day GPU job since Mon 16 Nov 2026.
  const source = { from: Date.UTC(2026, 9, 1), until: Date.UTC(2026, 10, 20, 13) };
  const now = Date.UTC(2026, 10, 20, 23);
  const started = Date.UTC(2026, 10, 16);
  const days = ingested({ name: "new team", perDay: flat(1200), from: started, until: source.until, now });

  it("forecasts the new team at the rate it runs, not diluted by the weeks before it existed", () => {
    // 16 to 30 November at $1,200 a day.
    expect(forecastMonthEnd(days, now, startingAtFirstCost(source, days)).seasonalUsd).toBeCloseTo(15 * 1200, 6);
    // Counting the weeks before it started as $0 would forecast about half of that.
    expect(forecastMonthEnd(days, now, source).seasonalUsd).toBeLessThan(0.6 * 15 * 1200);
  });

  it("keeps the source's coverage for a team older than it, and for one with no cost", () => {
    const old = ingested({
      name: "old team",
      perDay: weekdaysOnly(1000),
      from: Date.UTC(2026, 8, 1),
      until: source.until,
      now,
    });
    expect(startingAtFirstCost(source, old)).toEqual(source);
    expect(startingAtFirstCost(source, new Map())).toEqual(source);
  });
});

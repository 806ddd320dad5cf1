// Month-end forecast from daily totals: linear (average day so far) and seasonal (same weekday, last 4 weeks).
import { DAY_MS } from "@/lib/costs/schema";
import { dayString, round2 } from "@/lib/costs/reports/dashboard";

export interface MonthForecast {
  month: string;
  monthToDateUsd: number;
  linearUsd: number;
  seasonalUsd: number;
  daysInMonth: number;
  /** Days of the month the month to date covers: up to where the data ends, not up to now. */
  daysElapsed: number;
  /** Where the known cost ends and the forecast starts (ISO): the end of the newest ingested hour, at most now. */
  dataUntil: string;
}

/** The span a usage source has data for (epoch ms). */
export interface UsageCoverage {
  /** Start of the first ingested hour: days before it were never ingested, so they are skipped, not counted as $0. */
  from: number;
  /** End of the newest ingested hour: cost after it is not known yet, so it is forecast, not counted as $0. */
  until: number;
}

/**
 * `daily` holds UTC days (YYYY-MM-DD → cost) covering at least the month so far and ideally the 28 days before.
 * A whole day inside `coverage` with no entry cost $0 (nothing ran); days outside it are unknown. Cost up to
 * `coverage.until` is the month to date; the rest of the month, from that point, is forecast.
 * Without `coverage` the map is taken to start where the data starts and to run up to `now`.
 */
export function forecastMonthEnd(
  daily: ReadonlyMap<string, number>,
  now: number,
  coverage: UsageCoverage = coverageOf(daily, now),
): MonthForecast {
  const d = new Date(now);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const daysInMonth = (nextMonth - monthStart) / DAY_MS;
  const until = Math.min(coverage.until, now);
  // The forecast starts where the data ends (or at the month's start when the data ends before it).
  const start = Math.max(monthStart, until);
  const startDay = Math.floor(start / DAY_MS) * DAY_MS;
  const cost = (t: number) => daily.get(dayString(t)) ?? 0;
  const whollyCovered = (t: number) => t >= coverage.from && t + DAY_MS <= until;

  let mtd = 0;
  for (let t = monthStart; t < start; t += DAY_MS) mtd += cost(t);
  let monthDays = 0;
  let monthCost = 0;
  for (let t = monthStart; t < startDay; t += DAY_MS) {
    if (!whollyCovered(t)) continue;
    monthDays++;
    monthCost += cost(t);
  }
  // Same-weekday averages over the 28 days before the day the data ends in.
  const lastDataDay = Math.floor(until / DAY_MS) * DAY_MS;
  const weekdaySum = new Array<number>(7).fill(0);
  const weekdayN = new Array<number>(7).fill(0);
  for (let i = 1; i <= 28; i++) {
    const t = lastDataDay - i * DAY_MS;
    if (!whollyCovered(t)) continue;
    const dow = new Date(t).getUTCDay();
    weekdaySum[dow] = (weekdaySum[dow] ?? 0) + cost(t);
    weekdayN[dow] = (weekdayN[dow] ?? 0) + 1;
  }
  const recentN = weekdayN.reduce((s, x) => s + x, 0);
  const recentAvg = recentN ? weekdaySum.reduce((s, x) => s + x, 0) / recentN : 0;
  const avgDay = monthDays ? monthCost / monthDays : recentAvg;
  const weekdayAvg = (dow: number) => {
    const days = weekdayN[dow] ?? 0;
    return days ? (weekdaySum[dow] ?? 0) / days : avgDay;
  };

  const restOfStartDay = 1 - (start - startDay) / DAY_MS;
  let seasonalRest = weekdayAvg(new Date(startDay).getUTCDay()) * restOfStartDay;
  for (let t = startDay + DAY_MS; t < nextMonth; t += DAY_MS) seasonalRest += weekdayAvg(new Date(t).getUTCDay());
  const remainingDays = (nextMonth - start) / DAY_MS;

  return {
    month: dayString(monthStart).slice(0, 7),
    monthToDateUsd: round2(mtd),
    linearUsd: round2(mtd + avgDay * remainingDays),
    seasonalUsd: round2(mtd + seasonalRest),
    daysInMonth,
    daysElapsed: round2((start - monthStart) / DAY_MS),
    dataUntil: new Date(start).toISOString(),
  };
}

/**
 * The coverage for one team's (or one scope's) forecast: from the source's first hour, or from the first day the
 * team cost anything if later. A team that started last week did not spend $0 on the weeks before it existed;
 * counting them would pull its weekday averages, and its forecast, far below what it runs at.
 */
export function startingAtFirstCost(coverage: UsageCoverage, days: ReadonlyMap<string, number>): UsageCoverage {
  let first = Infinity;
  for (const [day, cost] of days) if (cost > 0) first = Math.min(first, Date.parse(`${day}T00:00:00Z`));
  return Number.isFinite(first) && first > coverage.from ? { ...coverage, from: first } : coverage;
}

/**
 * One team's month-end forecast from per-group daily rows: the costs page (budget alerts, team page) and every home
 * page read it here, so a team has one forecast for one data stamp. `own` is the team's slug and its cost label
 * values; `coverage` is the usage source's (where the ingested data ends), not `now`, so the figure does not drift
 * with the clock between page loads.
 */
export function teamMonthForecast(
  rows: readonly { group: string; day: string; costUsd: number }[],
  own: ReadonlySet<string>,
  now: number,
  coverage: UsageCoverage,
): MonthForecast {
  const days = new Map<string, number>();
  for (const d of rows) if (own.has(d.group)) days.set(d.day, (days.get(d.day) ?? 0) + d.costUsd);
  return forecastMonthEnd(days, now, startingAtFirstCost(coverage, days));
}

/** Coverage when the caller has none: from the map's first day up to now. */
function coverageOf(daily: ReadonlyMap<string, number>, now: number): UsageCoverage {
  let first = now;
  for (const day of daily.keys()) first = Math.min(first, Date.parse(`${day}T00:00:00Z`));
  return { from: first, until: now };
}

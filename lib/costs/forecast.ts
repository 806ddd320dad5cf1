// Month-end forecast from daily totals: linear (average day so far) and seasonal (same weekday, last 4 weeks).
import { DAY_MS } from "./schema";
import { dayString, round2 } from "./dashboard";

export interface MonthForecast {
  month: string;
  monthToDateUsd: number;
  linearUsd: number;
  seasonalUsd: number;
  daysInMonth: number;
  /** Days of the month elapsed, counting today's elapsed fraction. */
  daysElapsed: number;
}

/**
 * `daily` holds complete-or-partial UTC days (YYYY-MM-DD → cost) covering at least the month so far and
 * ideally the 28 days before today. Today's partial cost counts in the month to date; the rest of today is forecast.
 */
export function forecastMonthEnd(daily: ReadonlyMap<string, number>, now: number): MonthForecast {
  const d = new Date(now);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const nextMonth = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  const todayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const daysInMonth = (nextMonth - monthStart) / DAY_MS;
  const todayFraction = (now - todayStart) / DAY_MS;

  let mtd = 0;
  let completeDays = 0;
  let completeCost = 0;
  for (let t = monthStart; t <= todayStart; t += DAY_MS) {
    const c = daily.get(dayString(t)) ?? 0;
    mtd += c;
    if (t < todayStart) {
      completeDays++;
      completeCost += c;
    }
  }
  // Same-weekday averages over the 28 complete days before today.
  const weekdaySum = new Array<number>(7).fill(0);
  const weekdayN = new Array<number>(7).fill(0);
  for (let i = 1; i <= 28; i++) {
    const t = todayStart - i * DAY_MS;
    const c = daily.get(dayString(t));
    if (c === undefined) continue;
    weekdaySum[new Date(t).getUTCDay()] += c;
    weekdayN[new Date(t).getUTCDay()]++;
  }
  const recentN = weekdayN.reduce((s, x) => s + x, 0);
  const recentAvg = recentN ? weekdaySum.reduce((s, x) => s + x, 0) / recentN : 0;
  const avgDay = completeDays ? completeCost / completeDays : recentAvg;
  const weekdayAvg = (dow: number) => (weekdayN[dow] ? weekdaySum[dow] / weekdayN[dow] : avgDay);

  const remainingToday = 1 - todayFraction;
  let seasonalRest = weekdayAvg(d.getUTCDay()) * remainingToday;
  for (let t = todayStart + DAY_MS; t < nextMonth; t += DAY_MS) seasonalRest += weekdayAvg(new Date(t).getUTCDay());
  const remainingDays = (nextMonth - now) / DAY_MS;

  return {
    month: dayString(monthStart).slice(0, 7),
    monthToDateUsd: round2(mtd),
    linearUsd: round2(mtd + avgDay * remainingDays),
    seasonalUsd: round2(mtd + seasonalRest),
    daysInMonth,
    daysElapsed: round2(completeDays + todayFraction),
  };
}

import { describe, expect, it } from "vitest";
import { demoTeamDailyCostUsd, effectiveBudgetUsd, tightDemoBudget } from "./demo-budget";
import { demoFleet, demoSamples } from "@/lib/costs/sources/demo-fleet";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { dayString } from "@/lib/costs/reports/dashboard";
import { forecastMonthEnd } from "@/lib/costs/rollups/forecast";
import { DAY_MS, HOUR_MS } from "./schema";

describe("tightDemoBudget", () => {
  const { team, monthlyBudgetUsd } = tightDemoBudget();
  const daily = demoTeamDailyCostUsd(team);

  it("belongs to a demo team whose generated cost never falls below that floor in any hour", () => {
    expect(demoFleet().some((w) => w.team === team)).toBe(true);
    expect(daily).toBeGreaterThan(0);
    const now = Date.UTC(2026, 11, 7, 12, 30);
    const perHour = new Map<number, number>();
    for (const s of demoSamples({ now, days: 90, fleet: demoFleet().filter((w) => w.team === team) }))
      perHour.set(s.ts, (perHour.get(s.ts) ?? 0) + gpuHourlyRate("aws", s.instanceType, s.capacityType));
    expect(perHour.size).toBe(90 * 24);
    for (const [ts, cost] of perHour)
      expect(cost * 24, new Date(ts).toISOString()).toBeGreaterThanOrEqual(daily - 1e-6);
    // Its experiments come and go: the floor is what it always pays, not what it usually pays.
    expect(Math.max(...perHour.values()) * 24).toBeGreaterThan(daily * 1.2);
  }, 30_000);

  it("is below the team's month-end forecast on every day of a year, February included, at any hour", () => {
    // The demo keeps 90 days of history, so the forecast sees every day before `now`.
    const history = new Map<string, number>();
    for (let t = Date.UTC(2026, 9, 1); t < Date.UTC(2028, 0, 1); t += DAY_MS) history.set(dayString(t), daily);
    for (let t = Date.UTC(2027, 0, 1); t < Date.UTC(2028, 0, 1); t += DAY_MS) {
      for (const hour of [0, 23]) {
        const now = t + hour * HOUR_MS + 30 * 60_000;
        // Today only has its elapsed hours so far.
        const days = new Map(history);
        days.set(dayString(t), (daily * (hour + 0.5)) / 24);
        for (let later = t + DAY_MS; days.has(dayString(later)); later += DAY_MS) days.delete(dayString(later));
        expect(forecastMonthEnd(days, now).seasonalUsd, new Date(now).toISOString()).toBeGreaterThan(
          monthlyBudgetUsd * 1.09,
        );
      }
    }
  }, 30_000);

  it("is tight, not absurd: about 90% of a short month's floor, and below what the team really spent in 28 days", () => {
    expect(monthlyBudgetUsd).toBeGreaterThan(daily * 28 * 0.85);
    expect(monthlyBudgetUsd).toBeLessThanOrEqual(daily * 28 * 0.9);
    const now = Date.UTC(2026, 11, 7, 12, 30);
    let spent = 0;
    for (const s of demoSamples({ now, days: 28, fleet: demoFleet().filter((w) => w.team === team) }))
      spent += gpuHourlyRate("aws", s.instanceType, s.capacityType);
    expect(monthlyBudgetUsd).toBeLessThan(spent * 0.9);
    expect(monthlyBudgetUsd).toBeGreaterThan(spent * 0.6);
  }, 30_000);
});

describe("effectiveBudgetUsd", () => {
  it.each([
    [{ monthlyBudgetUsd: 1000, budgetIsDemo: true }, "demo", 1000],
    [{ monthlyBudgetUsd: 1000, budgetIsDemo: true }, "prometheus", null],
    [{ monthlyBudgetUsd: 1000, budgetIsDemo: false }, "prometheus", 1000],
    [{ monthlyBudgetUsd: null, budgetIsDemo: false }, "demo", null],
  ])("%o on %s data is %s", (team, source, expected) => {
    expect(effectiveBudgetUsd(team, source)).toBe(expected);
  });
});

import { describe, expect, it } from "vitest";
import { demoTeamDailyCostUsd, effectiveBudgetUsd, tightDemoBudget } from "./demo-budget";
import { demoFleet } from "@/lib/costs/sources/demo-fleet";
import { dayString } from "@/lib/costs/reports/dashboard";
import { forecastMonthEnd } from "@/lib/costs/rollups/forecast";
import { DAY_MS, HOUR_MS } from "./schema";

describe("tightDemoBudget", () => {
  const { team, monthlyBudgetUsd } = tightDemoBudget();
  const daily = demoTeamDailyCostUsd(team);

  it("belongs to a demo team that has a cost every hour of every day", () => {
    expect(demoFleet().some((w) => w.team === team)).toBe(true);
    // Its incident only adds to its history; every other pool of it is allocated every hour.
    expect(
      demoFleet()
        .filter((w) => w.team === team && w.scaling?.kind !== "incident")
        .every((w) => (w.scaling?.kind ?? "fixed") === "fixed"),
    ).toBe(true);
    expect(daily).toBeGreaterThan(0);
  });

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
  });

  it("is tight, not absurd: about 90% of a short month's cost", () => {
    expect(monthlyBudgetUsd).toBeGreaterThan(daily * 28 * 0.85);
    expect(monthlyBudgetUsd).toBeLessThanOrEqual(daily * 28 * 0.9);
  });
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

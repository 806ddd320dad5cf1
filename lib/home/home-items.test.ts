import { describe, expect, it } from "vitest";
import { drillsDue, teamMonths } from "./home-items";

const now = new Date(Date.UTC(2026, 11, 7, 12));
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

describe("drillsDue", () => {
  const plans = [
    {
      key: "fresh",
      name: "Fresh",
      isTemplate: false,
      boundToCluster: true,
      schedule: null,
      lastPassedLiveAt: daysAgo(3),
    },
    {
      key: "stale",
      name: "Stale",
      isTemplate: false,
      boundToCluster: true,
      schedule: "0 3 * * 1",
      lastPassedLiveAt: daysAgo(45),
    },
    {
      key: "older",
      name: "Older",
      isTemplate: false,
      boundToCluster: true,
      schedule: null,
      lastPassedLiveAt: daysAgo(90),
    },
    { key: "never", name: "Never", isTemplate: false, boundToCluster: true, schedule: null, lastPassedLiveAt: null },
    {
      key: "template",
      name: "Template",
      isTemplate: true,
      boundToCluster: false,
      schedule: null,
      lastPassedLiveAt: null,
    },
    {
      key: "seeded",
      name: "Seeded",
      isTemplate: true,
      boundToCluster: true,
      schedule: null,
      lastPassedLiveAt: daysAgo(31),
    },
  ];

  it("lists plans (and templates bound to a cluster) without a passed live drill in 30 days, never-passed first, then the longest overdue", () => {
    expect(drillsDue(plans, now).map((d) => [d.key, d.daysSince])).toEqual([
      ["never", null],
      ["older", 90],
      ["stale", 45],
      ["seeded", 31],
    ]);
  });

  it("keeps a plan drilled exactly 30 days ago off the list", () => {
    expect(drillsDue([{ ...plans[0]!, lastPassedLiveAt: daysAgo(30) }], now)).toEqual([]);
  });
});

describe("teamMonths", () => {
  const day = (n: number) => `2026-12-0${n}`;
  const teams = [
    { slug: "nlp", name: "NLP", monthlyBudgetUsd: 1000 },
    { slug: "vision", name: "Vision", monthlyBudgetUsd: 100_000 },
    { slug: "free", name: "Free", monthlyBudgetUsd: null },
  ];
  const daily = [1, 2, 3, 4, 5, 6].flatMap((n) => [
    { team: "nlp", day: day(n), costUsd: 100 },
    { team: "vision", day: day(n), costUsd: 50 },
    { team: "free", day: day(n), costUsd: 10 },
  ]);
  const months = teamMonths(teams, daily, now, { from: Date.UTC(2026, 11, 1), until: now.getTime() });

  it("sums each team's month so far from its own days only", () => {
    expect(Object.fromEntries(months.map((t) => [t.slug, t.spentUsd]))).toMatchObject({ nlp: 600, vision: 300 });
  });

  it("flags a team whose month-end forecast passes its budget and puts it first", () => {
    expect(months[0]).toMatchObject({ slug: "nlp", overBudget: true });
    expect(months[0]!.forecastUsd).toBeGreaterThan(1000);
    expect(months.find((t) => t.slug === "vision")?.overBudget).toBe(false);
  });

  it("shows a team without a budget with no share and never over budget", () => {
    expect(months.find((t) => t.slug === "free")).toMatchObject({
      budgetUsd: null,
      spentShare: null,
      overBudget: false,
    });
  });
});

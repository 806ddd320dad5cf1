// The demo fleet has the rhythms a real fleet's charts show, measured on its generated rollups the way the costs page
// reads them (GPU-hour weighted utilization, cost per day).
import { beforeAll, describe, expect, it } from "vitest";
import { rollupSamples } from "@/lib/costs/rollups/allocation";
import { heatMapMatrix, type HeatCell } from "@/lib/costs/reports/dashboard";
import { gpuHourlyRate } from "@/lib/pricing/gpu-rates";
import { DAY_MS, HOUR_MS, type GpuSample, type UsageRow } from "@/lib/costs/schema";
import { DEMO_OUTAGE, DEMO_TEAM_PROFILES, demoSamples } from "./demo-fleet";

const now = Date.UTC(2026, 11, 7, 12, 30);
const end = Math.floor(now / HOUR_MS) * HOUR_MS;
const rate = (s: GpuSample) => gpuHourlyRate("aws", s.instanceType, s.capacityType);
let rows: UsageRow[] = [];
let samples: GpuSample[] = [];

beforeAll(() => {
  samples = [...demoSamples({ now, days: 90 })];
  rows = rollupSamples(samples, "demo", rate, { hourOrdered: true });
}, 60_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Local hour, weekday (0 = Sunday) and day number of `ts` in a team's time zone. */
function local(team: string, ts: number) {
  const t = ts + DEMO_TEAM_PROFILES[team]!.utcOffsetHours * HOUR_MS;
  const day = Math.floor(t / DAY_MS);
  return { hour: new Date(t).getUTCHours(), dow: new Date(t).getUTCDay(), day };
}

/** Utilization per hour of one pool's rows (GPU-hour weighted), by hour start. */
function poolUtilization(team: string, nodePool: string): Map<number, number> {
  const used = new Map<number, number>();
  const alloc = new Map<number, number>();
  for (const r of rows)
    if (r.team === team && r.nodePool === nodePool) {
      used.set(r.hour, (used.get(r.hour) ?? 0) + r.gpuHoursUsed);
      alloc.set(r.hour, (alloc.get(r.hour) ?? 0) + r.gpuHoursAllocated);
    }
  return new Map([...alloc].map(([h, a]) => [h, (100 * (used.get(h) ?? 0)) / a]));
}

/** Whole days of a team's cost (today's partial day left out), oldest first. */
function dailyCost(team: string): number[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const first = end - 90 * DAY_MS;
  const byDay = new Map<number, number>();
  for (const r of rows) {
    const day = Math.floor(r.hour / DAY_MS) * DAY_MS;
    if (r.team === team && day < today && day >= Math.ceil(first / DAY_MS) * DAY_MS)
      byDay.set(day, (byDay.get(day) ?? 0) + r.costUsd);
  }
  return [...byDay].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

function heatMap(days: number): (number | null)[][] {
  const cells = new Map<string, HeatCell>();
  for (const r of rows) {
    if (r.hour < end - days * DAY_MS) continue;
    const d = new Date(r.hour);
    const key = `${d.getUTCDay()}|${d.getUTCHours()}`;
    const c = cells.get(key) ?? { dow: d.getUTCDay(), hour: d.getUTCHours(), gpuHoursAllocated: 0, gpuHoursUsed: 0 };
    c.gpuHoursAllocated += r.gpuHoursAllocated;
    c.gpuHoursUsed += r.gpuHoursUsed;
    cells.set(key, c);
  }
  return heatMapMatrix([...cells.values()]);
}

describe("demo fleet rhythm", () => {
  it.each([
    ["recsys", "inference-a10g"],
    ["recsys", "inference-l4"],
    ["nlp", "inference-a100"],
  ])("%s %s follows its users' working hours in their time zone", (team, pool) => {
    const util = poolUtilization(team, pool);
    const peaks: number[] = [];
    const byDay = new Map<number, { hour: number; util: number }>();
    const night: number[] = [];
    const afternoon: number[] = [];
    for (const [ts, u] of util) {
      const { hour, dow, day } = local(team, ts);
      if (dow === 0 || dow === 6) continue;
      const best = byDay.get(day);
      if (!best || u > best.util) byDay.set(day, { hour, util: u });
      if (hour >= 2 && hour < 5) night.push(u);
      if (hour >= 12 && hour < 15) afternoon.push(u);
    }
    for (const { hour } of byDay.values()) peaks.push(hour);
    expect(median(peaks)).toBeGreaterThanOrEqual(11);
    expect(median(peaks)).toBeLessThanOrEqual(16);
    expect(mean(night)).toBeLessThan(mean(afternoon) * 0.8);
  });

  it("is quieter at weekends for interactive work", () => {
    const weekday: number[] = [];
    const weekend: number[] = [];
    for (const [ts, u] of poolUtilization("recsys", "inference-a10g")) {
      const { dow } = local("recsys", ts);
      (dow === 0 || dow === 6 ? weekend : weekday).push(u);
    }
    expect(mean(weekend)).toBeLessThan(mean(weekday) * 0.85);
  });

  it("grows: the growing team's last 30 days cost more than its first 30", () => {
    const cost = dailyCost("recsys");
    expect(cost.length).toBeGreaterThanOrEqual(89);
    expect(mean(cost.slice(-30))).toBeGreaterThan(mean(cost.slice(0, 30)) * 1.15);
  });

  it("runs training as jobs: NLP's daily cost changes from day to day, above what it always holds", () => {
    const cost = dailyCost("nlp");
    const floor = Math.min(...cost);
    // Days with no experiment running at all are rare; most days have a different number of node-hours of jobs.
    expect(cost.filter((c) => c < floor + 1).length).toBeLessThan(cost.length * 0.15);
    expect(median(cost)).toBeGreaterThan(floor * 1.1);
    // Experiments' nodes come and go with their jobs: starts mostly on weekday working hours, 4–54 hours long.
    const running = new Map<string, number[]>();
    for (const s of samples)
      if (s.gpuId.startsWith("training-a100/nlp/jobs/")) {
        const hours = running.get(s.node) ?? [];
        hours.push(s.ts);
        running.set(s.node, hours);
      }
    const starts: number[] = [];
    for (const hours of running.values()) {
      const set = new Set(hours);
      for (const h of set) if (!set.has(h - HOUR_MS)) starts.push(h);
    }
    expect(starts.length).toBeGreaterThan(10);
    const atWork = starts.filter((t) => {
      const { hour, dow } = local("nlp", t);
      return dow >= 1 && dow <= 5 && hour >= 8 && hour < 20;
    });
    expect(atWork.length).toBeGreaterThan(starts.length * 0.6);
  });

  it("runs batch at night in the team's time zone", () => {
    const util = poolUtilization("vision", "batch-spot");
    const byHour = Array.from({ length: 24 }, () => [] as number[]);
    for (const [ts, u] of util) byHour[local("vision", ts).hour]!.push(u);
    const means = byHour.map(mean);
    const busiest = means.indexOf(Math.max(...means));
    expect(busiest).toBeLessThan(7);
    expect(mean(means.slice(10, 18))).toBeLessThan(10);
  });

  it("has an outage: the ranker's traffic fell for an afternoon", () => {
    const util = poolUtilization("recsys", "inference-a10g");
    const outageDay = local("recsys", end - DEMO_OUTAGE.daysAgo * DAY_MS).day;
    const during: number[] = [];
    const weekBefore: number[] = [];
    for (const [ts, u] of util) {
      const { day, hour } = local("recsys", ts);
      if (hour < DEMO_OUTAGE.localStartHour || hour >= DEMO_OUTAGE.localStartHour + DEMO_OUTAGE.hours) continue;
      if (day === outageDay) during.push(u);
      if (day === outageDay - 7) weekBefore.push(u);
    }
    expect(during).toHaveLength(DEMO_OUTAGE.hours);
    expect(mean(during)).toBeLessThan(mean(weekBefore) * 0.4);
  });

  it.each([30, 90])("shows a heat map over %i days whose hours differ within every row", (days) => {
    const m = heatMap(days);
    for (const [d, row] of m.entries()) {
      const shown = row.map((v) => Math.round(v ?? 0));
      for (let h = 0; h + 6 <= 24; h++)
        expect(new Set(shown.slice(h, h + 6)).size, `day ${d} hours ${h}–${h + 5}: ${shown.join(" ")}`).toBeGreaterThan(
          1,
        );
      // At the matrix's own precision no two hours of a 6-hour stretch are the same.
      for (let h = 0; h + 6 <= 24; h++) expect(new Set(row.slice(h, h + 6)).size).toBe(6);
    }
    const rowMean = (d: number) => mean(m[d]!.map((v) => v ?? 0));
    // Weekends below every weekday; Monday UTC is left out: its first hours are still Sunday for the US teams.
    for (const weekend of [0, 6])
      for (const weekday of [2, 3, 4, 5]) expect(rowMean(weekend)).toBeLessThan(rowMean(weekday));
    expect(rowMean(5)).toBeLessThan(rowMean(3) - 0.5);
  });
});

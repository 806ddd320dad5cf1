import { assert, describe, expect, it } from "vitest";
import { NOW, plantRows } from "@/lib/costs/planted-fleet.test-helper";
import { HOUR_MS } from "@/lib/costs/schema";
import { inferenceSizingOf, weeklyInferenceScaling } from "./weekly-scaling";

const weekdayPeak = (ts: number) => {
  const d = new Date(ts);
  return d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && d.getUTCHours() >= 8 && d.getUTCHours() < 20;
};

describe("weeklyInferenceScaling", () => {
  // A chat service holding 8 GPUs all week, busy at the weekday peak (80%) and nearly idle otherwise (5%).
  const rows = plantRows([
    {
      team: "search",
      nodePool: "chat",
      instanceType: "g5.xlarge",
      workloadType: "inference",
      gpus: 8,
      days: 7,
      utilization: (ts) => (weekdayPeak(ts) ? 80 : 5),
    },
  ]);
  const latestHour = NOW - HOUR_MS; // Sunday 23:00 UTC: off-peak

  it("sizes the service for the week's peak hour although the latest hour needs one replica", () => {
    const [row] = weeklyInferenceScaling(rows, [], latestHour);
    assert(row, "a row for the pool");
    expect(row).toMatchObject({ team: "search", nodePool: "chat", recommendedReplicas: 1, peakReplicas: 8 });
    expect(weekdayPeak(row.peakHour)).toBe(true);
  });

  it("shows the schedule: the peak's hours at 8 replicas, the rest of the week at 1", () => {
    const [row] = weeklyInferenceScaling(rows, [], latestHour);
    assert(row, "a row for the pool");
    expect(row.schedule).toEqual([
      { replicas: 8, hours: 5 * 12 },
      { replicas: 1, hours: 168 - 5 * 12 },
    ]);
  });

  it("gives scheduled scaling the same peak and lowest hour, in GPUs", () => {
    expect(inferenceSizingOf(weeklyInferenceScaling(rows, [], latestHour))).toEqual(
      new Map([["search|chat", { peakGpus: 8, floorGpus: 1 }]]),
    );
  });

  it("uses the model-server queue of each hour: a queue at night raises that hour's count", () => {
    const night = latestHour - 3 * HOUR_MS;
    const load = rows
      .filter((r) => r.hour >= latestHour - 24 * HOUR_MS)
      .map((r) => ({
        hour: r.hour,
        source: "test",
        team: "search",
        nodePool: "chat",
        model: "m",
        modelVersion: "1",
        requestsPerSecond: 10 * 8,
        queueDepthAvg: r.hour === night ? 50 : 0,
        queueDepthMax: 0,
        replicas: 8,
      }));
    const [row] = weeklyInferenceScaling(rows, load, latestHour);
    assert(row, "a row for the pool");
    // 10 req/s per replica measured: 50 waiting needs 5 replicas in that night hour.
    expect(row.schedule.find((s) => s.replicas === 5)).toEqual({ replicas: 5, hours: 1 });
  });
});

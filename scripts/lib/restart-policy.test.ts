import { describe, expect, it } from "vitest";
import { nextRestart, workerRestartPolicy, type RestartPolicy } from "./restart-policy";

const policy: RestartPolicy = { initialDelayMs: 1000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/** Replays a worker that keeps exiting after running `runMs` each time; returns the waits npm start chooses. */
function waits(runsMs: number[]): number[] {
  let attempts = 0;
  let clock = 0;
  return runsMs.map((runMs) => {
    const decision = nextRestart(attempts, clock, clock + runMs, policy);
    attempts = decision.attempt;
    clock += runMs + decision.delayMs;
    return decision.delayMs;
  });
}

describe("nextRestart", () => {
  it("doubles the wait after each quick exit: 1 s, 2 s, 4 s, 8 s, 16 s", () => {
    expect(waits([500, 500, 500, 500, 500])).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it("caps the wait at 30 s however often the worker crashes", () => {
    expect(waits(Array(40).fill(100)).slice(4)).toEqual([16_000, ...Array(35).fill(30_000)]);
  });

  it("starts over at 1 s once the worker stayed up a minute", () => {
    expect(waits([500, 500, 500, 60_000, 500])).toEqual([1000, 2000, 4000, 1000, 2000]);
  });

  it("counts a run just under a minute as a quick exit", () => {
    expect(waits([500, 59_999])).toEqual([1000, 2000]);
  });

  it("is the policy npm start uses for the worker", () => {
    expect(workerRestartPolicy).toEqual(policy);
  });
});

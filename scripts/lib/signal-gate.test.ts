import { describe, expect, it } from "vitest";
import { createSignalGate, type SignalPress } from "./signal-gate";

const classify = (windowMs: number, times: number[]): SignalPress[] => {
  const gate = createSignalGate(windowMs);
  return times.map((t) => gate(t));
};

describe("createSignalGate", () => {
  it.each<[string, number[], SignalPress[]]>([
    ["one signal is the first press", [5_000], ["first"]],
    ["the terminal's and npm's copies of one Ctrl-C count once", [5_000, 5_003], ["first", "duplicate"]],
    [
      "three copies of one Ctrl-C (terminal, npm, tsx) count once",
      [5_000, 5_001, 5_004],
      ["first", "duplicate", "duplicate"],
    ],
    ["a press 1 s or more later is a second press", [5_000, 6_000], ["first", "again"]],
    ["a second press's own copy is swallowed too", [5_000, 7_000, 7_002], ["first", "again", "duplicate"]],
    ["a third genuine press is counted again", [5_000, 6_500, 8_000], ["first", "again", "again"]],
    // Copies do not restart the window: a person pressing again 1 s after the first press is heard.
    [
      "the window runs from the press that counted, not from its copies",
      [5_000, 5_600, 6_000],
      ["first", "duplicate", "again"],
    ],
  ])("%s", (_name, times, expected) => {
    expect(classify(1000, times)).toEqual(expected);
  });

  it("counts a first signal at time 0 (no special meaning for a zero clock)", () => {
    expect(classify(1000, [0, 10, 1000])).toEqual(["first", "duplicate", "again"]);
  });
});

import { describe, expect, it } from "vitest";
import { buildEstimate } from "./build-estimate";

describe("buildEstimate", () => {
  it("says the range holds for an idle machine, and that this one is busy when it is", () => {
    expect(buildEstimate({ first: true, cores: 2, load: 19.3 })).toBe(
      "building the app (first run; about 2–6 minutes on an idle 2-core machine, longer now: the load average is 19 on 2 cores; later runs rebuild only after a change)…",
    );
    expect(buildEstimate({ first: false, cores: 2, load: 0.4 })).toBe(
      "rebuilding the app because its sources changed (about 2–6 minutes on an idle 2-core machine, longer when the machine is busy)…",
    );
  });
});

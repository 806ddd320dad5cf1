import { describe, expect, it } from "vitest";
import { fixedProfile } from "@/lib/scaling/recommend-profile";
import { robustnessNote } from "./simulation-table";

const margin = {
  replays: ["rate+10%", "shifted"],
  toleranceMinutes: 1,
  bestFixedViolationMinutes: [1, 0],
  recommendedViolationMinutes: [1, 0],
};

describe("robustnessNote", () => {
  it("says which cheaper profile the margin refused, and on which replay", () => {
    const note = robustnessNote({
      ...margin,
      cheapestRefused: { profile: fixedProfile(7), gpuHours: 8.9, replay: "rate+10%", allowedMinutes: 2 },
    });
    expect(note).toContain("Minutes over: recommended 1 / 0, fixed 1 / 0.");
    expect(note).toContain(
      "A cheaper profile (8.90 GPU-h) met the SLO on the trace but was refused: on the rate+10% replay it missed more than the 2 minutes allowed.",
    );
  });

  it("says nothing of a refusal when the cheapest profile met the margin", () => {
    expect(robustnessNote({ ...margin, cheapestRefused: null })).not.toContain("refused");
  });
});

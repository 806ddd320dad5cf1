// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { scalingProfileSchema, type ScalingProfile } from "@/lib/scaling/schema";
import { SimulationPanel } from "./simulation-panel";

afterEach(cleanup);

const formProfile = scalingProfileSchema.parse({
  name: "my-profile",
  minReplicas: 4,
  maxReplicas: 12,
  triggers: [{ type: "gpu_utilization", threshold: 75 }],
});

describe("SimulationPanel", () => {
  it("simulates the form's profiles beside the reference preset on the demo trace", () => {
    render(<SimulationPanel profiles={[formProfile]} sloP99Ms={2000} />);
    const table = screen.getByRole("table");
    const mine = within(table).getByRole("rowheader", { name: /my-profile/ }).closest("tr")!;
    const reference = within(table).getByRole("rowheader", { name: /reference/ }).closest("tr")!;
    // min–max as given, and GPU-hours printed: the reference pins at its 100-replica maximum on this traffic
    // (its 200 ms p99 trigger cannot be met by time to first token), so it costs more than the form's profile.
    expect(within(mine).getByText("4–12")).toBeTruthy();
    const gpuHours = (row: HTMLElement) => Number(row.querySelectorAll("td")[1].textContent!.split(" ")[0]);
    expect(gpuHours(mine)).toBeGreaterThan(0);
    expect(gpuHours(reference)).toBeGreaterThan(gpuHours(mine));
    expect(screen.getByText(/Demo trace/)).toBeTruthy();
  });

  it("shows why a profile in the form cannot be simulated instead of failing", () => {
    const invalid = { ...formProfile, name: "broken", minReplicas: 9, maxReplicas: 3 } as ScalingProfile;
    render(<SimulationPanel profiles={[invalid]} sloP99Ms={2000} />);
    expect(screen.getByText(/Not simulated: maxReplicas \(3\) is below minReplicas \(9\)/)).toBeTruthy();
  });

  it("keeps at most four form profiles", () => {
    const many = ["a", "b", "c", "d", "e"].map((name) => ({ ...formProfile, name }));
    render(<SimulationPanel profiles={many} sloP99Ms={2000} />);
    const rowHeaders = within(screen.getByRole("table")).getAllByRole("rowheader").map((h) => h.textContent);
    expect(rowHeaders.filter((t) => /^[a-e]$/.test(t ?? ""))).toEqual(["a", "b", "c", "d"]);
  });
});

// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
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
  it("simulates the form's profiles beside the reference preset on the demo trace, after it has rendered", async () => {
    render(<SimulationPanel profiles={[formProfile]} sloP99Ms={2000} />);
    // The first render waits for nothing: the simulation runs afterwards (in a worker in browsers).
    expect(screen.getByTestId("simulating")).toBeTruthy();
    const table = await screen.findByRole("table", {}, { timeout: 30_000 });
    const mine = within(table)
      .getByRole("rowheader", { name: /my-profile/ })
      .closest("tr")!;
    const reference = within(table)
      .getByRole("rowheader", { name: /reference/ })
      .closest("tr")!;
    // min–max as given, and GPU-hours printed: the reference pins at its 100-replica maximum on this traffic
    // (its 200 ms p99 trigger cannot be met by time to first token), so it costs more than the form's profile.
    expect(within(mine).getByText("4–12")).toBeTruthy();
    const gpuHours = (row: HTMLElement) => Number(row.querySelectorAll("td")[1]!.textContent!.split(" ")[0]);
    expect(gpuHours(mine)).toBeGreaterThan(0);
    expect(gpuHours(reference)).toBeGreaterThan(gpuHours(mine));
    expect(screen.getByText(/Demo trace/)).toBeTruthy();
  });

  it("says why the reference holds so many replicas: its 200 ms trigger is below the prefill floor", async () => {
    render(<SimulationPanel profiles={[formProfile]} sloP99Ms={2000} />);
    const why = await screen.findByTestId("profile-explanation", {}, { timeout: 30_000 });
    expect(why.textContent).toMatch(/Why reference \(preset\) holds these replicas/);
    expect(why.textContent).toMatch(
      /The 200 ms latency trigger is below the [\d,.]+ (ms|s) prefill floor .* so it is always exceeded and keeps asking for more replicas, up to maxReplicas \(100\)/,
    );
  });

  it("shows the recommendation beside the oracle, the clairvoyant and the best fixed count, with ratios", async () => {
    render(<SimulationPanel profiles={[formProfile]} sloP99Ms={2000} />);
    const table = await screen.findByRole("table", {}, { timeout: 30_000 });
    fireEvent.click(screen.getByRole("button", { name: "Find the cheapest profile" }));
    const fixedRow = (
      await within(table).findByRole(
        "rowheader",
        { name: /best fixed count \(\d+ replicas all hour\)/ },
        { timeout: 60_000 },
      )
    ).closest("tr")!;
    const ratio = Number(/recommended ([\d.]+)×/.exec(fixedRow.textContent!)![1]);
    expect(ratio).toBeLessThanOrEqual(1);
    expect(within(table).getByRole("rowheader", { name: /clairvoyant/ })).toBeTruthy();
    expect(within(table).getByRole("rowheader", { name: /oracle/ })).toBeTruthy();
  }, 90_000);

  it("shows why a profile in the form cannot be simulated instead of failing", async () => {
    const invalid = { ...formProfile, name: "broken", minReplicas: 9, maxReplicas: 3 } as ScalingProfile;
    render(<SimulationPanel profiles={[invalid]} sloP99Ms={2000} />);
    expect(await screen.findByText(/Not simulated: maxReplicas \(3\) is below minReplicas \(9\)/)).toBeTruthy();
  });

  it("keeps at most four form profiles", async () => {
    const many = ["a", "b", "c", "d", "e"].map((name) => ({ ...formProfile, name }));
    render(<SimulationPanel profiles={many} sloP99Ms={2000} />);
    const rowHeaders = within(await screen.findByRole("table", {}, { timeout: 30_000 }))
      .getAllByRole("rowheader")
      .map((h) => h.textContent);
    expect(rowHeaders.filter((t) => /^[a-e]$/.test(t ?? ""))).toEqual(["a", "b", "c", "d"]);
  });
});

describe("SimulationPanel: cluster history", () => {
  const fetchMock = stubFetchPerTest();
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const gpuHoursOf = (name: RegExp) =>
    Number(
      within(screen.getByRole("table"))
        .getByRole("rowheader", { name })
        .closest("tr")!
        .querySelectorAll("td")[1]!
        .textContent!.split(" ")[0],
    );

  it("asks for the form's deployment and replays its request rate instead of the demo hour", async () => {
    // 30 minutes at 2 req/s: far less than the demo hour, so the profile needs fewer GPU-hours.
    const start = Date.UTC(2026, 10, 29, 10, 0);
    const points = Array.from({ length: 30 }, (_, i) => ({ timestamp: start / 1000 + i * 60, requestsPerSecond: 2 }));
    fetchMock.mockResolvedValue(
      json(200, {
        namespace: "llm",
        service: "llama",
        start,
        end: start + 1_800_000,
        stepSeconds: 60,
        points,
        expectedRequests: 3600,
      }),
    );
    render(
      <SimulationPanel
        profiles={[formProfile]}
        sloP99Ms={2000}
        historyDefaults={{ namespace: "llm", service: "llama" }}
      />,
    );
    await screen.findByRole("table", {}, { timeout: 30_000 });
    const demoGpuHours = gpuHoursOf(/my-profile/);

    fireEvent.click(screen.getByRole("button", { name: "Cluster history" }));
    expect(screen.getByLabelText("Namespace")).toHaveProperty("value", "llm");
    fireEvent.change(screen.getByLabelText("Last"), { target: { value: "6" } });
    fireEvent.click(screen.getByRole("button", { name: "Load cluster history" }));

    await waitFor(() =>
      expect(screen.getByTestId("trace-help").textContent).toMatch(
        /Cluster history llm\/llama, 6 h from 2026-11-29 10:00 UTC: 3,600 requests over 30 min/,
      ),
    );
    expect(fetchMock).toHaveBeenCalledWith(
      "/api/v1/scaling/request-rate-history?namespace=llm&service=llama&hours=6",
      expect.anything(),
    );
    expect(screen.getByTestId("trace-help").textContent).toMatch(/SLO: p99 latency/);
    await waitFor(() => expect(gpuHoursOf(/my-profile/)).toBeLessThan(demoGpuHours), { timeout: 30_000 });
    // The form closes; "Use demo trace" goes back.
    expect(screen.queryByRole("button", { name: "Load cluster history" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Use demo trace" }));
    await waitFor(() => expect(gpuHoursOf(/my-profile/)).toBe(demoGpuHours), { timeout: 30_000 });
  });

  it("shows the server's reason and keeps the demo trace when no Prometheus is configured", async () => {
    fetchMock.mockResolvedValue(
      json(409, {
        error: {
          code: "prometheus_not_configured",
          message: "No Prometheus is configured: a platform admin sets its URL under Settings → Cost data sources.",
        },
      }),
    );
    render(<SimulationPanel profiles={[formProfile]} sloP99Ms={2000} />);
    fireEvent.click(screen.getByRole("button", { name: "Cluster history" }));
    expect(screen.getByLabelText("Service")).toHaveProperty("value", "model-server");
    fireEvent.click(screen.getByRole("button", { name: "Load cluster history" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/Settings → Cost data sources/);
    expect(screen.getByTestId("trace-help").textContent).toMatch(/Demo trace/);
  });

  it("puts a refused field's message under that field and focuses it", async () => {
    fetchMock.mockResolvedValue(
      json(422, {
        error: {
          code: "validation_failed",
          message: "The last 168 h hold about 3,000,000 requests",
          fields: [{ path: "hours", message: "pick fewer hours" }],
        },
      }),
    );
    render(<SimulationPanel profiles={[formProfile]} sloP99Ms={2000} />);
    fireEvent.click(screen.getByRole("button", { name: "Cluster history" }));
    fireEvent.click(screen.getByRole("button", { name: "Load cluster history" }));
    const hours = screen.getByLabelText("Last");
    await waitFor(() => expect(hours.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(hours.getAttribute("aria-describedby")!)!.textContent).toBe("pick fewer hours");
    expect(document.activeElement).toBe(hours);
  });
});

// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { costSettingsSchema } from "@/lib/costs/schema";
import { CostSettingsForm } from "./cost-settings-form";
import { IngestionCard } from "./ingestion-card";
import { TeamBudgetsTable } from "./team-budgets-table";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));
const fetchMock = stubFetchPerTest(refresh);

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The text of the error element an input names in aria-describedby (what a screen reader reads with it). */
function errorOf(input: HTMLElement): string | null {
  const id = input
    .getAttribute("aria-describedby")
    ?.split(" ")
    .find((i) => i.endsWith("-error"));
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
}

const current = costSettingsSchema.parse({ sources: ["demo"], modelServer: "triton", staleAfterHours: 6 });
const renderForm = () => render(<CostSettingsForm settings={current} />);

describe("CostSettingsForm", () => {
  it("starts from the current setting", () => {
    renderForm();
    expect((screen.getByLabelText("Demo data", { exact: false }) as HTMLInputElement).checked).toBe(true);
    expect(
      (screen.getByLabelText("Prometheus", { exact: false, selector: "input[type=checkbox]" }) as HTMLInputElement)
        .checked,
    ).toBe(false);
    expect((screen.getByLabelText("Model server") as HTMLSelectElement).value).toBe("triton");
    expect((screen.getByLabelText("Stale after (hours)") as HTMLInputElement).value).toBe("6");
    expect(screen.getByText(/vllm:request_success_total/).textContent).toContain("vllm:num_requests_waiting");
  });

  it("refuses an invalid URL next to its field, focuses it and sends nothing", async () => {
    renderForm();
    const url = screen.getByLabelText("Prometheus URL");
    fireEvent.change(url, { target: { value: "not a url" } });
    fireEvent.submit(screen.getByTestId("cost-settings-form"));
    await waitFor(() => expect(url.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(url)).toContain("http(s) URL like");
    expect(document.activeElement).toBe(url);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("puts the server's 422 on the named field, focuses it and keeps every value", async () => {
    const message =
      "prometheusUrl http://169.254.169.254 is link-local (cloud instance metadata lives at 169.254.169.254), which is never fetched, even when listed";
    fetchMock.mockResolvedValue(
      jsonResponse(422, {
        error: { code: "validation_failed", message, fields: [{ path: "prometheusUrl", message }] },
      }),
    );
    renderForm();
    const url = screen.getByLabelText("Prometheus URL");
    fireEvent.change(url, { target: { value: "http://169.254.169.254/" } });
    fireEvent.change(screen.getByLabelText("Model server"), { target: { value: "vllm" } });
    fireEvent.submit(screen.getByTestId("cost-settings-form"));
    await waitFor(() => expect(url.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(url)).toBe(message);
    expect(document.activeElement).toBe(url);
    expect(screen.getByTestId("cost-settings-message").getAttribute("role")).toBe("alert");
    expect(screen.getByTestId("cost-settings-message").textContent).toContain("fix the marked field");
    expect((url as HTMLInputElement).value).toBe("http://169.254.169.254/");
    expect((screen.getByLabelText("Model server") as HTMLSelectElement).value).toBe("vllm");
    expect(refresh).not.toHaveBeenCalled();
  });

  it("focuses the source checkboxes when the server refuses the sources", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(422, {
        error: {
          code: "validation_failed",
          message: "Invalid body",
          fields: [
            { path: "sources.1", message: "Invalid option" },
            { path: "staleAfterHours", message: "Too big" },
          ],
        },
      }),
    );
    renderForm();
    fireEvent.submit(screen.getByTestId("cost-settings-form"));
    const demo = screen.getByLabelText("Demo data", { exact: false });
    await waitFor(() => expect(demo.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(demo)).toBe("Invalid option");
    expect(errorOf(screen.getByLabelText("Stale after (hours)"))).toBe("Too big");
    expect(document.activeElement).toBe(demo);
  });

  it("saves the setting and says so", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, {}));
    renderForm();
    fireEvent.click(screen.getByLabelText("Prometheus", { exact: false, selector: "input[type=checkbox]" }));
    fireEvent.change(screen.getByLabelText("Prometheus URL"), {
      target: { value: "http://prometheus.monitoring.svc:9090" },
    });
    fireEvent.change(screen.getByLabelText("Model server"), { target: { value: "vllm" } });
    fireEvent.submit(screen.getByTestId("cost-settings-form"));
    await waitFor(() => expect(screen.getByTestId("cost-settings-message").textContent).toContain("Saved"));
    expect(screen.getByTestId("cost-settings-message").getAttribute("role")).toBe("status");
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/costs/settings");
    expect(init.method).toBe("PUT");
    expect(JSON.parse(init.body as string)).toMatchObject({
      sources: ["demo", "prometheus"],
      prometheusUrl: "http://prometheus.monitoring.svc:9090",
      modelServer: "vllm",
      staleAfterHours: 6,
    });
    expect(refresh).toHaveBeenCalled();
  });
});

describe("TeamBudgetsTable", () => {
  const teams = [
    { slug: "nlp", name: "NLP", monthlyBudgetUsd: 260_000 },
    { slug: "vision", name: "Vision", monthlyBudgetUsd: null },
  ];

  it("saves one row's budget through the API and shows it", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { slug: "vision", name: "Vision", monthlyBudgetUsd: 12500 }));
    render(<TeamBudgetsTable teams={teams} />);
    const input = screen.getByLabelText("Monthly budget of Vision (USD)");
    expect((input as HTMLInputElement).value).toBe("");
    fireEvent.change(input, { target: { value: "$12,500" } });
    fireEvent.submit(input.closest("form")!);
    const row = screen.getAllByTestId("budget-row").find((r) => r.getAttribute("data-team") === "vision")!;
    await waitFor(() => expect(within(row).getByRole("status").textContent).toBe("Saved: $12,500 a month."));
    expect(within(row).getByTestId("budget-current").textContent).toBe("$12,500");
    expect(fetchMock).toHaveBeenCalledWith(
      "/api/v1/costs/budgets",
      expect.objectContaining({ method: "PUT", body: JSON.stringify({ team: "vision", monthlyBudgetUsd: 12500 }) }),
    );
  });

  it("sends null when the budget is emptied", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { slug: "nlp", name: "NLP", monthlyBudgetUsd: null }));
    render(<TeamBudgetsTable teams={teams} />);
    const input = screen.getByLabelText("Monthly budget of NLP (USD)");
    expect((input as HTMLInputElement).value).toBe("260000");
    fireEvent.change(input, { target: { value: "" } });
    fireEvent.submit(input.closest("form")!);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string)).toEqual({
      team: "nlp",
      monthlyBudgetUsd: null,
    });
  });

  it("refuses what is not an amount in the row, without calling the API", async () => {
    render(<TeamBudgetsTable teams={teams} />);
    const input = screen.getByLabelText("Monthly budget of NLP (USD)");
    fireEvent.change(input, { target: { value: "lots" } });
    fireEvent.submit(input.closest("form")!);
    await waitFor(() => expect(input.getAttribute("aria-invalid")).toBe("true"));
    expect(errorOf(input)).toContain("not an amount in dollars");
    expect(document.activeElement).toBe(input);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the API's field error in the row and keeps what was typed", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(422, {
        error: {
          code: "validation_failed",
          message: "Invalid body",
          fields: [
            { path: "monthlyBudgetUsd", message: "monthlyBudgetUsd must be 0 or more (null removes the budget)" },
          ],
        },
      }),
    );
    render(<TeamBudgetsTable teams={teams} />);
    const input = screen.getByLabelText("Monthly budget of NLP (USD)");
    fireEvent.change(input, { target: { value: "99" } });
    fireEvent.submit(input.closest("form")!);
    await waitFor(() => expect(errorOf(input)).toBe("monthlyBudgetUsd must be 0 or more (null removes the budget)"));
    expect((input as HTMLInputElement).value).toBe("99");
    const row = screen.getAllByTestId("budget-row").find((r) => r.getAttribute("data-team") === "nlp")!;
    expect(within(row).getByTestId("budget-current").textContent).toBe("$260,000");
  });
});

describe("IngestionCard", () => {
  const rows = [
    {
      source: "demo",
      lastSuccessAt: "2026-11-08T10:00:00.000Z",
      dataUntil: "2026-11-08T10:00:00.000Z",
      stale: false,
      lastError: null,
    },
    {
      source: "prometheus",
      lastSuccessAt: null,
      dataUntil: null,
      stale: true,
      lastError: "connect ECONNREFUSED 10.0.0.5:9090",
    },
  ];

  it("shows freshness and the last error per source", () => {
    render(<IngestionCard rows={rows} now="2026-11-08T12:00:00.000Z" />);
    const [demo, prometheus] = screen.getAllByTestId("ingestion-row");
    expect(demo!.textContent).toContain("2 hours ago");
    expect(demo!.textContent).toContain("fresh");
    expect(prometheus!.textContent).toContain("never");
    expect(prometheus!.textContent).toContain("stale");
    expect(prometheus!.textContent).toContain("ECONNREFUSED");
  });

  it("queues an ingestion and says it was queued", async () => {
    fetchMock.mockResolvedValue(jsonResponse(202, { jobId: "job-42" }));
    render(<IngestionCard rows={rows} now="2026-11-08T12:00:00.000Z" />);
    fireEvent.click(screen.getByTestId("ingest-now"));
    await waitFor(() =>
      expect(screen.getByTestId("ingest-message").textContent).toContain("Ingestion queued (job job-42)"),
    );
    expect(fetchMock).toHaveBeenCalledWith("/api/v1/costs/ingest", expect.objectContaining({ method: "POST" }));
  });
});

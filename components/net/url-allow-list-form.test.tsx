// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { UrlAllowListForm } from "./url-allow-list-form";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));
const fetchMock = stubFetchPerTest(refresh);

const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const fetched = [
  { source: "Prometheus URL", url: "http://prometheus.monitoring.svc:9090", allowed: true },
  {
    source: "DR plan model_corruption, step 4",
    url: "http://model.internal:8080/health",
    allowed: false,
    reason: "… add it … as model.internal:8080",
  },
];
const renderForm = (entries = ["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080"]) =>
  render(<UrlAllowListForm entries={entries} fetched={fetched} />);
const textarea = () => screen.getByLabelText("Allowed hosts and networks") as HTMLTextAreaElement;

describe("UrlAllowListForm", () => {
  it("starts from the saved list and shows what each configured URL gets", () => {
    renderForm();
    expect(textarea().value).toBe("prometheus.monitoring.svc:9090\n10.0.0.0/8:8080");
    const rows = within(screen.getByTestId("fetched-urls")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/Prometheus URL.*prometheus\.monitoring\.svc:9090.*allowed/),
      expect.stringMatching(/model_corruption.*refused.*as model\.internal:8080/),
    ]);
  });

  it("refuses bad entries by the line they are on, naming the entry and the fix, and sends nothing", async () => {
    renderForm();
    fireEvent.change(textarea(), {
      target: { value: "prometheus.monitoring.svc:9090\n\n10.0.0.0/8\nprometheus.monitoring.svc:9090\n0.0.0.0/0:80" },
    });
    fireEvent.submit(screen.getByTestId("url-allow-list-form"));
    const errors = await screen.findByTestId("url-allow-list-errors");
    expect(
      within(errors)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      expect.stringMatching(/^Line 3: "10\.0\.0\.0\/8" has no port: write host:port, IP:port or CIDR:port/),
      expect.stringMatching(/^Line 5: "0\.0\.0\.0\/0:80" matches every address/),
    ]);
    expect(textarea().getAttribute("aria-invalid")).toBe("true");
    expect(textarea().getAttribute("aria-describedby")).toContain(errors.id);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("saves the entries as an array, without blank lines or repeats, and refreshes the page", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { entries: [] }));
    renderForm([]);
    fireEvent.change(textarea(), { target: { value: " localhost:3000 \n\n[fd00::/8]:443\nlocalhost:3000\n" } });
    fireEvent.submit(screen.getByTestId("url-allow-list-form"));
    await waitFor(() => expect(screen.getByRole("status").textContent).toContain("Saved 2 entries"));
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/settings/url-allow-list");
    expect(init.method).toBe("PUT");
    expect(JSON.parse(init.body as string)).toEqual({ entries: ["localhost:3000", "[fd00::/8]:443"] });
    expect(refresh).toHaveBeenCalled();
  });

  it("puts the server's 422 on the line of the entry it names and keeps the text", async () => {
    const message = '"p:1" is refused by the server';
    fetchMock.mockResolvedValue(
      jsonResponse(422, {
        error: { code: "validation_failed", message: "Invalid body", fields: [{ path: "body.entries.1", message }] },
      }),
    );
    renderForm([]);
    fireEvent.change(textarea(), { target: { value: "a.svc:80\n\np:1" } });
    fireEvent.submit(screen.getByTestId("url-allow-list-form"));
    const errors = await screen.findByTestId("url-allow-list-errors");
    expect(errors.textContent).toBe(`Line 3: ${message}`);
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toContain(
      "Not saved: fix the lines named below the list.",
    );
    expect(textarea().value).toBe("a.svc:80\n\np:1");
    expect(refresh).not.toHaveBeenCalled();
  });
});

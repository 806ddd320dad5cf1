// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import type { SubscriptionView } from "@/lib/notifications/schema";
import { NotificationSubscriptions } from "./notification-subscriptions";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh }) }));
const fetchMock = stubFetchPerTest(refresh);
const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const sub = (over: Partial<SubscriptionView> = {}): SubscriptionView => ({
  id: "s1",
  name: "nlp on-call",
  channel: "webhook",
  target: "https://ci.example.com/hooks/…",
  events: ["approval.needed", "request.apply_failed"],
  teamId: "team-1",
  teamName: "NLP",
  ownerEmail: null,
  createdAt: "2026-12-01T10:00:00.000Z",
  lastDelivery: { status: "failed", at: "2026-12-07T07:00:00.000Z" },
  ...over,
});
const now = "2026-12-07T08:00:00.000Z";
const teams = [{ id: "team-1", name: "NLP" }];

describe("NotificationSubscriptions", () => {
  it("lists who, where, which events and how the last delivery went", () => {
    render(<NotificationSubscriptions subscriptions={[sub()]} teams={teams} emailEnabled now={now} />);
    const [row] = within(screen.getByTestId("subscription-list")).getAllByRole("row").slice(1);
    expect(row!.textContent).toMatch(
      /nlp on-call.*team NLP.*Webhook https:\/\/ci\.example\.com\/hooks\/….*Approval needed, Apply failed.*failed.*1 hour ago/,
    );
  });

  it("creates a team webhook and shows its signing secret once", async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(201, { subscription: sub({ id: "s2", name: "hook" }), signingSecret: "whsec_SECRET" }),
    );
    render(<NotificationSubscriptions subscriptions={[]} teams={teams} emailEnabled now={now} />);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "hook" } });
    fireEvent.change(screen.getByLabelText("For"), { target: { value: "team-1" } });
    fireEvent.change(screen.getByLabelText("Webhook URL"), { target: { value: "https://ci.example.com/hooks/x" } });
    fireEvent.click(screen.getByLabelText("Drift found"));
    fireEvent.click(screen.getByLabelText("Drill failed"));
    fireEvent.submit(screen.getByTestId("create-subscription-form"));
    expect((await screen.findByTestId("signing-secret")).textContent).toBe("whsec_SECRET");
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/notifications/subscriptions");
    expect(JSON.parse(init.body as string)).toEqual({
      name: "hook",
      channel: "webhook",
      target: "https://ci.example.com/hooks/x",
      events: ["approval.needed", "request.apply_failed", "drill.failed"],
      teamId: "team-1",
    });
    expect(refresh).toHaveBeenCalled();
  });

  it("puts the API's refusal next to the field it names and keeps what was typed", async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(422, {
        error: {
          code: "validation_failed",
          message: "target: not on the allow-list",
          fields: [{ path: "target", message: "hooks.example.com:443 is not on the URL allow-list" }],
        },
      }),
    );
    render(<NotificationSubscriptions subscriptions={[]} teams={teams} emailEnabled now={now} />);
    fireEvent.change(screen.getByLabelText("Webhook URL"), { target: { value: "https://hooks.example.com/x" } });
    fireEvent.submit(screen.getByTestId("create-subscription-form"));
    const target = screen.getByLabelText("Webhook URL");
    await waitFor(() => expect(target.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(target.getAttribute("aria-describedby")!.split(" ")[1]!)!.textContent).toContain(
      "not on the URL allow-list",
    );
    expect((target as HTMLInputElement).value).toBe("https://hooks.example.com/x");
    expect(screen.queryByTestId("signing-secret")).toBeNull();
  });

  it("offers email only when the portal has an SMTP server", () => {
    render(<NotificationSubscriptions subscriptions={[]} teams={teams} emailEnabled={false} now={now} />);
    expect((screen.getByLabelText("Email") as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByText(/SMTP_URL/)).toBeTruthy();
  });

  it("sends a test with POST, and deletes only after a confirmation that names what stops", async () => {
    fetchMock
      .mockResolvedValueOnce(jsonResponse(202, { delivery: {} }))
      .mockResolvedValueOnce(jsonResponse(200, { id: "s1" }));
    render(<NotificationSubscriptions subscriptions={[sub()]} teams={teams} emailEnabled now={now} />);
    fireEvent.click(screen.getByRole("button", { name: "Send test to nlp on-call" }));
    expect((await screen.findByRole("status")).textContent).toContain('Test queued for "nlp on-call"');
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/v1/notifications/subscriptions/s1/test");

    fireEvent.click(screen.getByRole("button", { name: "Delete nlp on-call" }));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(
      screen.getByText(/Webhook https:\/\/ci\.example\.com\/hooks\/… stops receiving 2 kinds of event/),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Delete subscription" }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(fetchMock.mock.calls[1]).toEqual(["/api/v1/notifications/subscriptions/s1", { method: "DELETE" }]);
  });
});

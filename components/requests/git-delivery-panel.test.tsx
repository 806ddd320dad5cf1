// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { GitDeliveryPanel } from "./git-delivery-panel";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh }) }));
const fetchMock = stubFetchPerTest(refresh);
const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const sha = "0123456789abcdef0123456789abcdef01234567";
const mergeSha = "fedcba9876543210fedcba9876543210fedcba98";
const base = {
  operation: "apply" as const,
  branch: "portal/REQ-7",
  commitSha: sha,
  prNumber: 41,
  prUrl: "https://github.example/acme/deploy/pull/41",
  reason: null,
};
const permissions = { gitRevert: false, retryDelivery: false };

describe("GitDeliveryPanel", () => {
  it("shows the stored merge of the pull request and when it was read", () => {
    render(
      <GitDeliveryPanel
        requestId="r1"
        permissions={permissions}
        delivery={{
          ...base,
          state: "merged",
          pr: {
            state: "merged",
            mergeSha,
            mergedAt: "2026-12-07T11:00:00.000Z",
            checkedAt: new Date("2026-12-07T11:01:30Z"),
            readError: null,
          },
          sync: {
            state: "pending",
            message: "Application argocd/ml is Synced at 000000000000",
            health: null,
            checkedAt: "2026-12-07T11:02:00.000Z",
          },
        }}
      />,
    );
    expect(screen.getByTestId("git-state").textContent).toBe("Merged");
    expect(screen.getByTestId("git-delivery").textContent).toContain("PR #41 merged at fedcba987654");
    expect(screen.getByTestId("git-pr-state").textContent).toContain("(read 2026-12-07 11:01 UTC)");
    expect(screen.getByTestId("git-sync-read").textContent).toContain("(read 2026-12-07 11:02 UTC)");
  });

  it("says a pull request closed unmerged, and why the last read failed", () => {
    render(
      <GitDeliveryPanel
        requestId="r1"
        permissions={permissions}
        delivery={{
          ...base,
          state: "pr_open",
          pr: {
            state: "closed",
            mergeSha: null,
            mergedAt: null,
            checkedAt: "2026-12-07T11:01:00.000Z",
            readError: "unreachable: GitHub API http://127.0.0.1:1 cannot be reached",
          },
          sync: null,
        }}
      />,
    );
    const pr = screen.getByTestId("git-pr-state").textContent ?? "";
    expect(pr).toContain("closed without merging");
    expect(pr).toContain("could not read it: unreachable: GitHub API");
    expect(screen.queryByTestId("git-sync")).toBeNull();
  });

  it("Check now reads the delivery at once and refreshes the page; a refusal is shown as sent", async () => {
    const open = {
      ...base,
      state: "pr_open",
      pr: { state: "open", mergeSha: null, mergedAt: null, checkedAt: "2026-12-07T11:01:00.000Z", readError: null },
      sync: null,
    };
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { ...open, state: "merged" }));
    render(<GitDeliveryPanel requestId="r1" permissions={permissions} delivery={open} />);
    fireEvent.click(screen.getByRole("button", { name: "Check now" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/requests/r1/refresh-delivery");
    expect(init.method).toBe("POST");

    const message = "REQ-7's delivery was read 3 s ago: check again in 7 s";
    fetchMock.mockResolvedValueOnce(jsonResponse(429, { error: { code: "rate_limited", message } }));
    fireEvent.click(screen.getByRole("button", { name: "Check now" }));
    expect((await screen.findByRole("alert")).textContent).toBe(message);
  });

  it("offers no Check now for a failed delivery: nothing was pushed to read", () => {
    render(
      <GitDeliveryPanel
        requestId="r1"
        permissions={permissions}
        delivery={{ ...base, commitSha: null, state: "failed", reason: "unreachable: no", pr: null, sync: null }}
      />,
    );
    expect(screen.queryByRole("button", { name: "Check now" })).toBeNull();
  });
});

// @vitest-environment happy-dom
import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { GitDeliveryPanel } from "./git-delivery-panel";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh }) }));
stubFetchPerTest(refresh);

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
});

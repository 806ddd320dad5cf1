// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { recommendationRequestView } from "@/lib/costs/recommendations/recommendation-request";
import { RecommendationRequestProgress } from "./recommendation-request-progress";

afterEach(cleanup);

describe("RecommendationRequestProgress", () => {
  it.each([
    ["pending_approval", "submitted", "waiting for approval"],
    ["applying", "approved", "applying"],
    ["applied", "applied", "applied: the advice is acted on"],
  ])("a %s request links to it and marks the %s step current", (status, current, label) => {
    render(<RecommendationRequestProgress request={recommendationRequestView({ id: "r1", number: 42, status })} />);
    expect(screen.getByRole("link", { name: "REQ-42" }).getAttribute("href")).toBe("/requests/r1");
    expect(
      screen.getByRole("list", { name: "Progress of REQ-42" }).querySelector("[aria-current=step]")?.textContent,
    ).toBe(current);
    expect(screen.getByRole("status").textContent?.trim()).toBe(label);
  });

  it("shows a failed apply as failed, without the step list", () => {
    render(
      <RecommendationRequestProgress
        request={recommendationRequestView({ id: "r1", number: 7, status: "apply_failed" })}
      />,
    );
    expect(screen.queryByRole("list")).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("failed");
    expect(screen.getByRole("status").textContent).toContain("apply failed: retry it from the request");
  });

  it("says a rejected request no longer carries the advice", () => {
    const view = recommendationRequestView({ id: "r1", number: 7, status: "rejected" });
    expect([view.active, view.actedOn]).toEqual([false, false]);
    render(<RecommendationRequestProgress request={view} />);
    expect(screen.getByRole("status").textContent?.trim()).toBe("rejected: the advice is open again");
  });

  it("renders nothing without a request", () => {
    const { container } = render(<RecommendationRequestProgress request={null} />);
    expect(container.innerHTML).toBe("");
  });
});

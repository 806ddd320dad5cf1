// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { drTemplates } from "@/lib/dr/templates";
import { PlanEditor, planFieldErrors } from "./plan-editor";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh }) }));
const fetchMock = stubFetchPerTest(refresh);

describe("planFieldErrors", () => {
  it("puts each server message on the form field it names, a step's with its place in the steps", () => {
    expect(
      planFieldErrors([
        { path: "body.name", message: "is required" },
        { path: "body.scope.namespaces.1", message: "kube-system is protected" },
        { path: "body.steps.2.timeoutSeconds", message: "must be at least 1" },
        { path: "body.steps.3.name", message: "is required" },
        { path: "body.unknown", message: "ignored" },
      ]),
    ).toEqual({
      name: "is required",
      namespaces: "kube-system is protected",
      steps: "2.timeoutSeconds: must be at least 1",
    });
  });
});

describe("PlanEditor", () => {
  it("shows a refused save on the fields the server names", async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          error: {
            code: "validation_failed",
            message: "The plan is not valid",
            fields: [{ path: "body.rtoMinutes", message: "must be at least 1" }],
          },
        }),
        { status: 422, headers: { "content-type": "application/json" } },
      ),
    );
    const plan = drTemplates().find((t) => t.key === "model_corruption")!;
    render(<PlanEditor plan={plan} version={1} clusters={[]} stepTypes={["manual"]} />);
    fireEvent.click(screen.getByRole("button", { name: "Save new version" }));
    const rto = screen.getByLabelText("RTO target (min)");
    await waitFor(() => expect(rto.getAttribute("aria-invalid")).toBe("true"));
    const described = (rto.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(["must be at least 1"]);
    expect(screen.getByLabelText("Name").getAttribute("aria-invalid")).toBeNull();
  });
});

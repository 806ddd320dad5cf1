// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { StartDrillButton } from "./start-drill-dialog";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push, refresh: vi.fn() }) }));
const fetchMock = stubFetchPerTest(push);

const clusters = [{ id: "c1", name: "sandbox", isSandbox: true, protectedNamespaces: [] }];
const live = () =>
  render(
    <StartDrillButton
      planKey="model_corruption"
      planName="Model Artifact Recovery"
      mode="live"
      clusters={clusters}
      defaultClusterId="c1"
      touchedNamespaces={["ml-inference"]}
      canOverrideProtected={false}
    />,
  );

describe("StartDrillButton", () => {
  it("opens a dialog that will not start a live run until the cluster's name is typed, and closes on Escape", () => {
    live();
    fireEvent.click(screen.getByTestId("drill-live-model_corruption"));
    const dialog = screen.getByRole("dialog", { name: /Start a LIVE drill: Model Artifact Recovery/ });
    const run = screen.getByRole("button", { name: "Run live on sandbox" });
    expect(run.hasAttribute("disabled")).toBe(true);
    const confirm = screen.getByLabelText(/Type the cluster name/);
    fireEvent.change(confirm, { target: { value: "sandbo" } });
    expect(confirm.getAttribute("aria-invalid")).toBe("true");
    fireEvent.change(confirm, { target: { value: "sandbox" } });
    expect(confirm.getAttribute("aria-invalid")).toBeNull();
    expect(run.hasAttribute("disabled")).toBe(false);
    fireEvent(dialog, new Event("cancel", { cancelable: true }));
    expect(dialog.hasAttribute("open")).toBe(false);
  });

  it("shows the server's message on the field it names", async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          error: {
            code: "validation_failed",
            message: "The drill cannot start",
            fields: [{ path: "body.confirmation", message: "does not match the cluster sandbox" }],
          },
        }),
        { status: 422, headers: { "content-type": "application/json" } },
      ),
    );
    live();
    fireEvent.click(screen.getByTestId("drill-live-model_corruption"));
    const confirm = screen.getByLabelText(/Type the cluster name/);
    fireEvent.change(confirm, { target: { value: "sandbox" } });
    fireEvent.click(screen.getByRole("button", { name: "Run live on sandbox" }));
    await waitFor(() => expect(confirm.getAttribute("aria-invalid")).toBe("true"));
    const described = (confirm.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toEqual(["does not match the cluster sandbox"]);
    expect(screen.getByRole("alert").textContent).toBe("The drill cannot start");
    expect(push).not.toHaveBeenCalled();
  });
});

// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { ApprovalPanel } from "./approval-panel";
import { ApplyResults } from "./apply-results";
import { DryRunDiff } from "./dry-run-diff";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh }) }));
const fetchMock = stubFetchPerTest(refresh);

const passed = () => ({
  checkedAt: new Date(),
  checkedBy: "Erin Engineer",
  preconditions: {
    ok: true,
    verdict: "pass" as const,
    summary: "Every pre-condition holds.",
    reachability: { ok: true, message: "answers" },
    quota: [],
  },
});

const reply = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("ApprovalPanel", () => {
  it("requires a comment before anything is sent", async () => {
    render(<ApprovalPanel requestId="r1" criticalFindings={0} canApprove />);
    fireEvent.click(screen.getByRole("button", { name: "Reject" }));
    expect(await screen.findByText(/A comment is required/)).toBeTruthy();
    expect(screen.getByLabelText("Comment").getAttribute("aria-invalid")).toBe("true");
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("with critical findings, approving needs an override reason, which is sent with the comment", async () => {
    fetchMock.mockResolvedValue(reply(200, { status: "approved" }));
    render(<ApprovalPanel requestId="r1" criticalFindings={2} canApprove precheck={passed()} />);
    fireEvent.change(screen.getByLabelText("Comment"), { target: { value: "ok for the sandbox" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    expect(await screen.findByText(/2 critical finding\(s\): explain/)).toBeTruthy();
    expect(fetchMock).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText("Override reason"), {
      target: { value: "privileged is needed by the device plugin" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/requests/r1/approve");
    expect(JSON.parse(init.body as string)).toEqual({
      comment: "ok for the sandbox",
      overrideReason: "privileged is needed by the device plugin",
    });
  });

  it.each([
    [409, "already decided"],
    [403, "You cannot approve your own request"],
  ])("explains a %i", async (status, text) => {
    fetchMock.mockResolvedValue(reply(status, { error: { code: "x", message: "refused" } }));
    render(<ApprovalPanel requestId="r1" criticalFindings={0} canApprove precheck={passed()} />);
    fireEvent.change(screen.getByLabelText("Comment"), { target: { value: "fine" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    expect((await screen.findByTestId("decision-error")).textContent).toContain(text);
    expect(refresh).not.toHaveBeenCalled();
  });

  it("renders nothing for someone who may not decide", () => {
    const { container } = render(<ApprovalPanel requestId="r1" criticalFindings={0} canApprove={false} />);
    expect(container.textContent).toBe("");
  });
});

describe("ApplyResults", () => {
  it("shows each object's outcome with the API's message, and a conflict's field and manager", () => {
    render(
      <ApplyResults
        run={
          {
            id: "run1",
            operation: "apply",
            status: "failed",
            attempt: 2,
            force: false,
            forceReason: null,
            startedAt: null,
            finishedAt: null,
            error: "1 object failed",
            results: [
              {
                phase: "apply",
                index: 0,
                apiVersion: "v1",
                kind: "Namespace",
                namespace: null,
                name: "ml-inference",
                outcome: "created",
                httpStatus: 201,
                message: "Namespace ml-inference: created",
                conflicts: null,
              },
              {
                phase: "apply",
                index: 1,
                apiVersion: "apps/v1",
                kind: "Deployment",
                namespace: "ml-inference",
                name: "model-server",
                outcome: "failed",
                httpStatus: 409,
                message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
                conflicts: [{ field: ".spec.replicas", manager: "kubectl" }],
              },
            ],
          } as never
        }
      />,
    );
    const rows = screen.getAllByTestId("apply-result-row");
    expect(rows.map((r) => r.getAttribute("data-outcome"))).toEqual(["created", "failed"]);
    expect(rows[1]!.textContent).toContain('conflict with "kubectl"');
    expect(screen.getByTestId("conflicts").textContent).toBe("conflict on .spec.replicas owned by kubectl");
    expect(screen.getByRole("alert").textContent).toBe("1 object failed");
  });
});

const failingPreconditions = {
  ok: false,
  verdict: "fail" as const,
  summary:
    "GPU quota exceeded: needs 32 GPUs in ml-training, ResourceQuota gpu-quota leaves 16 of 16: lower the request or ask a platform admin to raise the quota. Approving now would fail at apply.",
  reachability: {
    ok: true,
    message: "the API server https://127.0.0.1:1 answers and accepts the portal's credentials",
  },
  quota: [
    {
      namespace: "ml-training",
      needed: 32,
      neededAtPeak: 32,
      left: 16,
      hard: 16,
      used: 16,
      quotaName: "gpu-quota",
      verdict: "exceeded" as const,
      message: "needs 32 GPUs in ml-training, ResourceQuota gpu-quota leaves 16 of 16",
    },
  ],
};

describe("pre-conditions before approval", () => {
  it("the dry-run shows each namespace's GPU quota (needed vs left) and the verdict, and hands it on", async () => {
    fetchMock.mockResolvedValue(reply(200, { ok: false, preconditions: failingPreconditions, results: [] }));
    const onResult = vi.fn();
    render(<DryRunDiff requestId="r1" clusterName="sandbox" onResult={onResult} />);
    fireEvent.click(screen.getByRole("button", { name: "Dry-run against sandbox" }));
    const panel = await screen.findByTestId("preconditions");
    expect(panel.textContent).toContain("A pre-condition fails");
    const row = within(panel).getByText("ml-training").closest("tr")!;
    expect(row.textContent).toContain("32");
    expect(row.textContent).toContain("16 of 16");
    expect(row.textContent).toContain("exceeded");
    expect(screen.queryByText(/The cluster accepts all/)).toBeNull();
    expect(onResult).toHaveBeenCalledWith(expect.objectContaining({ preconditions: failingPreconditions }));
  });

  it("the approval panel shows the latest check, by whom, next to the buttons", () => {
    const { rerender } = render(<ApprovalPanel requestId="r1" criticalFindings={0} canApprove />);
    expect(screen.queryByTestId("precondition-warning")).toBeNull();
    expect(screen.getByText(/No pre-condition check yet: approving runs it first/)).toBeTruthy();
    rerender(
      <ApprovalPanel
        requestId="r1"
        criticalFindings={0}
        canApprove
        precheck={{ checkedAt: new Date(), checkedBy: "Erin Engineer", preconditions: failingPreconditions }}
      />,
    );
    expect(screen.getByTestId("precondition-warning").textContent).toContain("needs 32 GPUs in ml-training");
    expect(screen.getByTestId("approval-precheck").textContent).toContain("by Erin Engineer");
  });

  it("approving without a check runs it first, and stops for an acknowledgement when it fails", async () => {
    fetchMock.mockImplementation(async (url: string) =>
      url.endsWith("/dry-run")
        ? reply(200, {
            ok: false,
            cluster: { name: "sandbox", isSandbox: true },
            preconditions: failingPreconditions,
            results: [],
          })
        : reply(200, { status: "approved", applyRunId: "run1" }),
    );
    render(<ApprovalPanel requestId="r1" criticalFindings={0} canApprove />);
    fireEvent.change(screen.getByLabelText("Comment"), { target: { value: "ok" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    expect((await screen.findByTestId("precondition-warning")).textContent).toContain("needs 32 GPUs");
    expect(await screen.findByText(/The check just ran and did not pass/)).toBeTruthy();
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(["/api/v1/requests/r1/dry-run"]);

    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    expect(await screen.findByText(/Tick the box to approve/)).toBeTruthy();
    expect(fetchMock).toHaveBeenCalledTimes(1);

    fireEvent.click(screen.getByLabelText("I have read the pre-condition check and approve anyway"));
    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[1] as [string, RequestInit];
    expect(url).toBe("/api/v1/requests/r1/approve");
    expect(JSON.parse(init.body as string)).toEqual({ comment: "ok", acknowledgePrecheck: true });
  });

  it("approving without a check runs it first and goes on when it passes", async () => {
    fetchMock.mockImplementation(async (url: string) =>
      url.endsWith("/dry-run")
        ? reply(200, {
            ok: true,
            cluster: { name: "sandbox", isSandbox: true },
            preconditions: passed().preconditions,
            results: [],
          })
        : reply(200, { status: "approved", applyRunId: "run1" }),
    );
    render(<ApprovalPanel requestId="r1" criticalFindings={0} canApprove />);
    fireEvent.change(screen.getByLabelText("Comment"), { target: { value: "ok" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      "/api/v1/requests/r1/dry-run",
      "/api/v1/requests/r1/approve",
    ]);
  });

  it("a check older than the freshness window is run again before approving", async () => {
    fetchMock.mockImplementation(async (url: string) =>
      url.endsWith("/dry-run")
        ? reply(200, {
            ok: true,
            cluster: { name: "sandbox", isSandbox: true },
            preconditions: passed().preconditions,
            results: [],
          })
        : reply(200, { status: "approved", applyRunId: "run1" }),
    );
    const old = { ...passed(), checkedAt: new Date(Date.now() - 60 * 60 * 1000) };
    render(<ApprovalPanel requestId="r1" criticalFindings={0} canApprove precheck={old} />);
    expect(screen.getByTestId("approval-precheck").textContent).toContain("approving runs it again first");
    fireEvent.change(screen.getByLabelText("Comment"), { target: { value: "ok" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve and apply" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(fetchMock.mock.calls[0]?.[0]).toBe("/api/v1/requests/r1/dry-run");
  });
});

// @vitest-environment happy-dom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { stubFetchPerTest } from "@/test-support/stub-fetch";
import { postconditionReport } from "@/lib/k8s/postcondition-report";
import { sortForDelete } from "@/lib/k8s/apply-order";
import { driftSummary, PostApplyActions } from "./post-apply-actions";

const refresh = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh }) }));
const fetchMock = stubFetchPerTest(refresh);

const created = [
  { apiVersion: "v1", kind: "ServiceAccount", namespace: "ml-inference", name: "model-server-sa" },
  { apiVersion: "apps/v1", kind: "Deployment", namespace: "ml-inference", name: "model-server" },
  { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", namespace: "ml-inference", name: "model-server-scaler" },
];
const all = { forceApply: true, revert: true, checkDrift: true };
const sentBody = (call = 0) => JSON.parse((fetchMock.mock.calls[call] as [string, RequestInit])[1].body as string);

describe("PostApplyActions", () => {
  it("revert names every object it deletes, dependents first, and confirms exactly that list", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ applyRunId: "run2" }), { status: 200 }));
    render(<PostApplyActions requestId="r1" created={created} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    const items = within(screen.getByTestId("revert-objects"))
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items).toEqual([
      "ScaledObject/ml-inference/model-server-scaler",
      "Deployment/ml-inference/model-server",
      "ServiceAccount/ml-inference/model-server-sa",
    ]);
    fireEvent.click(screen.getByRole("button", { name: "Delete 3 objects" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/requests/r1/revert");
    expect(JSON.parse(init.body as string)).toEqual({ confirmedDeletes: [created[2], created[1], created[0]] });
  });

  it("lists the objects in the order the revert job deletes them (by kind, dependents first), not in reverse creation order", async () => {
    const inCreationOrder = [
      { apiVersion: "apps/v1", kind: "Deployment", namespace: "team-a", name: "server" },
      { apiVersion: "v1", kind: "Namespace", name: "team-a" },
      { apiVersion: "v1", kind: "ConfigMap", namespace: "team-a", name: "settings" },
      { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "team-a", name: "server" },
    ];
    const inherited = [
      {
        ref: { apiVersion: "v1", kind: "ServiceAccount", namespace: "team-a", name: "runner" },
        createdBy: [{ requestId: "r3", number: 3 }],
        leftForThisRequest: true,
      },
    ];
    render(<PostApplyActions requestId="r1" created={inCreationOrder} inherited={inherited} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    const items = within(screen.getByTestId("revert-objects"))
      .getAllByRole("listitem")
      .map((li) => li.textContent?.split(":")[0]);
    const jobOrder = sortForDelete([...inherited.map((i) => i.ref), ...inCreationOrder]).map(
      (r) => `${r.kind}/${r.namespace ? `${r.namespace}/` : ""}${r.name}`,
    );
    expect(items).toEqual(jobOrder);
    expect(items).toEqual([
      "HorizontalPodAutoscaler/team-a/server",
      "Deployment/team-a/server",
      "ConfigMap/team-a/settings",
      "ServiceAccount/team-a/runner",
      "Namespace/team-a",
    ]);
    expect(screen.getByText(/will be deleted from the cluster in this order/)).toBeTruthy();
  });

  it("revert does not offer to delete objects other requests still apply: it lists them apart, naming the requests, and confirms only the deletions", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ applyRunId: "run2" }), { status: 200 }));
    const leftInPlace = [
      {
        ref: created[0]!,
        stillAppliedBy: [
          { requestId: "r7", number: 7 },
          { requestId: "r9", number: 9 },
        ],
      },
    ];
    render(<PostApplyActions requestId="r1" created={created} leftInPlace={leftInPlace} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    const items = within(screen.getByTestId("revert-objects"))
      .getAllByRole("listitem")
      .map((li) => li.textContent);
    expect(items).toEqual(["ScaledObject/ml-inference/model-server-scaler", "Deployment/ml-inference/model-server"]);
    const left = screen.getByTestId("revert-left-in-place");
    expect(left.textContent).toBe("ServiceAccount/ml-inference/model-server-sa: still applied by REQ-7, REQ-9");
    expect(within(left).getByRole("link", { name: "REQ-7" }).getAttribute("href")).toBe("/requests/r7");
    fireEvent.click(screen.getByRole("button", { name: "Delete 2 objects" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(sentBody()).toEqual({ confirmedDeletes: [created[2], created[1]] });
  });

  it("revert deletes an object another request's revert left to this one, last, and says where it came from", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ applyRunId: "run2" }), { status: 200 }));
    const namespace = { apiVersion: "v1", kind: "Namespace", name: "ml-inference" };
    const inherited = [{ ref: namespace, createdBy: [{ requestId: "r3", number: 3 }], leftForThisRequest: true }];
    render(<PostApplyActions requestId="r1" created={created} inherited={inherited} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    const list = screen.getByTestId("revert-objects");
    expect(
      within(list)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      "ScaledObject/ml-inference/model-server-scaler",
      "Deployment/ml-inference/model-server",
      "ServiceAccount/ml-inference/model-server-sa",
      "Namespace/ml-inference: created by REQ-3, left in place by its revert for this request",
    ]);
    expect(within(list).getByRole("link", { name: "REQ-3" }).getAttribute("href")).toBe("/requests/r3");
    fireEvent.click(screen.getByRole("button", { name: "Delete 4 objects" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(sentBody()).toEqual({ confirmedDeletes: [created[2], created[1], created[0], namespace] });
  });

  it("a revert that deletes nothing says so plainly, names the request holding each object, and confirms an empty list", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ applyRunId: "run2" }), { status: 200 }));
    const namespace = { apiVersion: "v1", kind: "Namespace", name: "ml-inference" };
    render(
      <PostApplyActions
        requestId="r1"
        created={[]}
        leftInPlace={[{ ref: namespace, stillAppliedBy: [{ requestId: "r4", number: 4 }] }]}
        permissions={all}
      />,
    );
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    expect(screen.getByRole("heading", { name: "Revert: nothing will be deleted" })).toBeTruthy();
    expect(screen.getByTestId("revert-nothing-deleted").textContent).toMatch(
      /^Nothing will be deleted from the cluster: the objects below are still applied by other requests/,
    );
    expect(screen.queryByTestId("revert-objects")).toBeNull();
    const left = screen.getByTestId("revert-left-in-place");
    expect(
      within(left)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["Namespace/ml-inference: still applied by REQ-4"]);
    expect(within(left).getByRole("link", { name: "REQ-4" }).getAttribute("href")).toBe("/requests/r4");
    expect(screen.queryByRole("button", { name: /^Delete/ })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Revert without deleting" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect(sentBody()).toEqual({ confirmedDeletes: [] });
  });

  it("sends each object's identity only, without a namespace for cluster-scoped ones", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ applyRunId: "run2" }), { status: 200 }));
    const withExtras = [
      { apiVersion: "v1", kind: "Namespace", name: "team-a", namespace: undefined, uid: "u1" },
      { ...created[0]!, resourceVersion: "7" },
    ];
    render(<PostApplyActions requestId="r1" created={withExtras} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete 2 objects" }));
    await waitFor(() => expect(refresh).toHaveBeenCalled());
    expect((fetchMock.mock.calls[0] as [string, RequestInit])[1].body).toBe(
      JSON.stringify({
        confirmedDeletes: [
          { apiVersion: "v1", kind: "ServiceAccount", namespace: "ml-inference", name: "model-server-sa" },
          { apiVersion: "v1", kind: "Namespace", name: "team-a" },
        ],
      }),
    );
  });

  it("when the objects changed since the dialog opened, it shows the server's message, offers a reload of the plan, and confirms the new list after it", async () => {
    const message =
      "the objects to delete changed since the dialog opened: reload and confirm again. Would also be deleted: Namespace ml-inference (created by REQ-3, left in place by its revert for this request).";
    fetchMock.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          error: {
            code: "confirmation_changed",
            message,
            fields: [{ path: "confirmedDeletes", message: "must be the objects the revert deletes now" }],
          },
        }),
        { status: 409 },
      ),
    );
    const { rerender } = render(<PostApplyActions requestId="r1" created={created} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete 3 objects" }));
    const alert = await screen.findByTestId("revert-changed");
    expect(alert.getAttribute("role")).toBe("alert");
    expect(alert.textContent).toContain(message);
    // The dialog stays open on the old list; confirming it again is not offered until the plan is reloaded.
    expect(screen.getByRole("button", { name: "Delete 3 objects" }).hasAttribute("disabled")).toBe(true);
    const reload = within(alert).getByRole("button", { name: "Reload the plan" });
    expect(document.activeElement).toBe(reload); // keyboard: Enter reloads
    expect(refresh).not.toHaveBeenCalled();
    fireEvent.click(reload);
    expect(refresh).toHaveBeenCalledTimes(1);

    // The page's new data: the Namespace is now this request's to delete.
    const namespace = { apiVersion: "v1", kind: "Namespace", name: "ml-inference" };
    rerender(
      <PostApplyActions
        requestId="r1"
        created={created}
        inherited={[{ ref: namespace, createdBy: [{ requestId: "r3", number: 3 }], leftForThisRequest: true }]}
        permissions={all}
      />,
    );
    expect(screen.queryByTestId("revert-changed")).toBeNull();
    const note = screen.getByTestId("revert-reloaded");
    expect(note.textContent).toMatch(/^Reloaded: the lists below are what the revert does now/);
    expect(document.activeElement).toBe(note);
    expect(within(screen.getByTestId("revert-objects")).getAllByRole("listitem")).toHaveLength(4);
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ applyRunId: "run2" }), { status: 200 }));
    fireEvent.click(screen.getByRole("button", { name: "Delete 4 objects" }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(sentBody(0)).toEqual({ confirmedDeletes: [created[2], created[1], created[0]] });
    expect(sentBody(1)).toEqual({ confirmedDeletes: [created[2], created[1], created[0], namespace] });
  });

  it("another refusal (a run in progress) closes the dialog and says why beside the actions, as before", async () => {
    fetchMock.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          error: {
            code: "conflict",
            message: "REQ-4 already has a revert in progress (run r9, queued): wait for it to finish, then reload",
          },
        }),
        { status: 409 },
      ),
    );
    render(<PostApplyActions requestId="r1" created={created} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete 3 objects" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("already has a revert in progress");
    expect(screen.queryByTestId("revert-changed")).toBeNull();
    expect(
      screen.getByRole("heading", { name: "Revert: delete 3 objects", hidden: true }).closest("dialog")?.open,
    ).toBe(false);
  });

  it("Escape cancels the revert dialog after a refusal too, and reopening it starts clean", async () => {
    fetchMock.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          error: {
            code: "confirmation_changed",
            message: "the objects to delete changed since the dialog opened: reload and confirm again.",
          },
        }),
        { status: 409 },
      ),
    );
    render(<PostApplyActions requestId="r1" created={created} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    fireEvent.click(screen.getByRole("button", { name: "Delete 3 objects" }));
    await screen.findByTestId("revert-changed");
    const dialog = screen.getByTestId("revert-changed").closest("dialog")!;
    fireEvent(dialog, new Event("cancel", { cancelable: true })); // what the browser fires on Escape
    expect(dialog.open).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Revert" }));
    expect(screen.queryByTestId("revert-changed")).toBeNull();
    expect(screen.getByRole("button", { name: "Delete 3 objects" }).hasAttribute("disabled")).toBe(false);
  });

  it("force apply stays disabled until a reason of 10 characters is given, and sends it", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify({ applyRunId: "run3" }), { status: 200 }));
    render(<PostApplyActions requestId="r1" created={created} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Force apply" }));
    const confirm = screen.getAllByRole("button", { name: "Force apply" }).at(-1)!;
    expect(confirm.hasAttribute("disabled")).toBe(true);
    fireEvent.change(screen.getByLabelText(/Reason/), { target: { value: "HPA owned replicas before KEDA" } });
    expect(confirm.hasAttribute("disabled")).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string)).toEqual({
      reason: "HPA owned replicas before KEDA",
    });
  });

  it("keeps the dialog open with the server's message on the reason when it refuses the reason", async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          error: {
            code: "validation_failed",
            message: "reason: names no change",
            fields: [{ path: "body.reason", message: "Say what the forced apply overrides" }],
          },
        }),
        { status: 422, headers: { "content-type": "application/json" } },
      ),
    );
    render(<PostApplyActions requestId="r1" created={created} permissions={all} />);
    fireEvent.click(screen.getByRole("button", { name: "Force apply" }));
    const reason = screen.getByLabelText("Reason");
    fireEvent.change(reason, { target: { value: "xxxxxxxxxxxx" } });
    fireEvent.click(screen.getAllByRole("button", { name: "Force apply" }).at(-1)!);
    await waitFor(() => expect(reason.getAttribute("aria-invalid")).toBe("true"));
    const described = (reason.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain("Say what the forced apply overrides");
    expect(screen.getByRole("dialog", { name: "Force apply over the conflict" })).toBeTruthy();
    expect(refresh).not.toHaveBeenCalled();
  });

  it("lists only drifted or missing objects after a drift check", async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          drifted: true,
          postconditions: [],
          objects: [
            { ref: created[0], status: "in_sync", differences: [] },
            { ref: created[1], status: "drifted", differences: [{ path: "spec.replicas", desired: 2, live: 5 }] },
          ],
        }),
        { status: 200 },
      ),
    );
    render(<PostApplyActions requestId="r1" created={created} permissions={{ ...all, forceApply: false }} />);
    fireEvent.click(screen.getByRole("button", { name: "Check drift" }));
    const report = await screen.findByTestId("drift-report");
    expect(report.textContent).toContain("differs from the applied plan");
    expect(report.textContent).toContain("spec.replicas: live 5 → plan 2");
    expect(report.textContent).not.toContain("ServiceAccount");
  });

  it("re-reads the post-conditions on Check again and says why each one that is not ok is so", async () => {
    const lines = postconditionReport({
      exist: { ok: true, missing: [], unknown: [] },
      ready: { ok: true, workloads: [{ ref: created[1]!, ready: true, detail: "2/2 ready" }] },
      monitoring: {
        ok: false,
        workloads: [{ workload: "Deployment ml-inference/llm", configured: false, evidence: [] }],
      },
    });
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          drifted: false,
          nothingApplied: false,
          compared: 2,
          planned: 2,
          objects: [],
          postconditions: lines,
        }),
        { status: 200 },
      ),
    );
    render(<PostApplyActions requestId="r1" created={created} permissions={{ ...all, forceApply: false }} />);
    fireEvent.click(screen.getByRole("button", { name: "Check post-conditions again" }));
    const list = await screen.findByTestId("postconditions");
    expect(fetchMock.mock.calls[0]?.[0]).toContain("/api/v1/requests/r1/drift");
    const items = [...list.querySelectorAll("li")];
    expect(items.map((li) => li.dataset.state)).toEqual(["ok", "ok", "failed"]);
    expect(items[2]!.textContent).toContain("Deployment ml-inference/llm");
    expect(items[2]!.textContent).toContain("ServiceMonitor");
    await waitFor(() => expect(refresh).toHaveBeenCalled());
  });

  it("says there is nothing to compare when the failed apply applied nothing, and names a partial comparison", async () => {
    fetchMock.mockResolvedValueOnce(
      new Response(
        JSON.stringify({
          drifted: false,
          nothingApplied: true,
          compared: 0,
          planned: 13,
          objects: [],
          postconditions: [],
        }),
        {
          status: 200,
        },
      ),
    );
    render(<PostApplyActions requestId="r1" created={created} permissions={{ ...all, forceApply: false }} />);
    fireEvent.click(screen.getByRole("button", { name: "Check drift" }));
    expect((await screen.findByTestId("drift-report")).textContent).toContain(
      "Nothing was applied yet: nothing to compare.",
    );
    expect(
      driftSummary({ drifted: true, nothingApplied: false, compared: 2, planned: 5, objects: [], postconditions: [] })
        .text,
    ).toBe("The cluster differs from the 2 of 5 objects the failed apply applied.");
  });

  it("does not call matching objects in sync when a post-condition below fails", () => {
    const postcondition = { label: "monitoring configured", reason: "no ServiceMonitor", action: "Install it." };
    const report = {
      drifted: false,
      nothingApplied: false,
      compared: 5,
      planned: 5,
      objects: [],
      postconditions: [
        { check: "objects_exist", label: "objects exist", state: "ok", reason: "", action: "" },
        { check: "monitoring_configured", state: "failed", ...postcondition },
      ],
    } as Parameters<typeof driftSummary>[0];
    expect(driftSummary(report)).toEqual({
      text: "Every object matches the applied plan, but post-conditions are not met (failed: monitoring configured).",
      tone: "warning",
    });
    expect(driftSummary({ ...report, postconditions: [] })).toEqual({
      text: "In sync: every object matches the applied plan.",
      tone: "info",
    });
  });
});

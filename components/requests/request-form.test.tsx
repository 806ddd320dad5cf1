// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RequestForm } from "./request-form";
import { FORM_DEFAULT_MAX_REPLICAS, initialInput } from "./request-form-model";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push, refresh: vi.fn() }) }));

const teams = [{ id: "team-nlp", name: "NLP" }];
const clusters = [
  { id: "c-prod", name: "prod", isSandbox: false },
  { id: "c-sandbox", name: "sandbox", isSandbox: true },
];
const fetchMock = vi.fn();

function renderForm(draft: Record<string, unknown> | null = null) {
  return render(
    <RequestForm
      teams={teams}
      clusters={clusters}
      initialKind="inference_scaling"
      initialInput={initialInput("inference_scaling", draft)}
    />,
  );
}

function jsonResponse(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

beforeEach(() => {
  push.mockReset();
  fetchMock.mockReset();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("RequestForm", () => {
  it("starts at the team the link names (a cost recommendation's team)", () => {
    render(
      <RequestForm
        teams={[...teams, { id: "team-recsys", name: "Recommender systems" }]}
        clusters={clusters}
        initialKind="node_pool"
        initialInput={initialInput("node_pool", null)}
        initialTeamId="team-recsys"
      />,
    );
    expect((screen.getByLabelText("Team") as HTMLSelectElement).value).toBe("team-recsys");
  });

  it("starts from the form defaults (a small max replicas), targets the sandbox, and previews the generated plan", async () => {
    renderForm();
    expect((screen.getByLabelText("Maximum replicas") as HTMLInputElement).value).toBe(
      String(FORM_DEFAULT_MAX_REPLICAS),
    );
    expect((screen.getByLabelText("Target cluster") as HTMLSelectElement).value).toBe("c-sandbox");
    expect(screen.getByRole("option", { name: "sandbox — local API double" })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("plan-preview").getAttribute("data-state")).toBe("ok"), {
      timeout: 10_000,
    });
    // The plan views load lazily after the first generated plan.
    const manifests = await screen.findByLabelText(
      "Generated Kubernetes manifests",
      { selector: "pre" },
      { timeout: 10_000 },
    );
    expect(manifests.textContent).toContain("kind: ScaledObject");
    // Beside Submit, the preview's verdict in one line: nobody submits without having seen it.
    expect(screen.getByTestId("preview-verdict").textContent).toMatch(/^Plan ready: \$[\d,]+\/month expected/);
    const submit = screen.getByRole("button", { name: "Submit for approval" });
    expect(screen.getByTestId("preview-verdict").closest(".request-submit")?.contains(submit)).toBe(true);
  }, 20_000);

  it("shows the draft from the link in the fields", () => {
    renderForm({ scale_requirements: { max_replicas: 7 }, model_server: { port: 9000 } });
    expect((screen.getByLabelText("Maximum replicas") as HTMLInputElement).value).toBe("7");
    expect((screen.getByLabelText("Port") as HTMLInputElement).value).toBe("9000");
  });

  describe("the training interconnect switch (training.efa)", () => {
    const renderTraining = (draft: Record<string, unknown> | null) =>
      render(
        <RequestForm
          teams={teams}
          clusters={clusters}
          initialKind="training_job"
          initialInput={initialInput("training_job", draft)}
        />,
      );
    const label = "High-speed interconnect (EFA / InfiniBand)";
    const hintOf = (box: HTMLElement) => document.getElementById(box.getAttribute("aria-describedby")!)!.textContent;

    it("is on by default, as in the engine, and says what it does for the p4d pool", () => {
      renderTraining(null);
      const box = screen.getByLabelText(label) as HTMLInputElement;
      expect(box.checked).toBe(true);
      expect(box.disabled).toBe(false);
      expect(hintOf(box)).toContain("p4d.24xlarge talk NCCL over EFA (4 EFA interfaces)");
      fireEvent.click(box);
      expect(box.checked).toBe(false);
    });

    it("keeps a draft's false and names InfiniBand and the Network Operator on Azure", () => {
      renderTraining({ cloud_provider: "azure", training: { efa: false } });
      const box = screen.getByLabelText(label) as HTMLInputElement;
      expect(box.checked).toBe(false);
      expect(hintOf(box)).toContain("Standard_ND96asr_v4 talk NCCL over InfiniBand");
      expect(hintOf(box)).toContain("NVIDIA Network Operator");
    });

    it("is disabled, with the reason, where the training pool has no EFA or InfiniBand", () => {
      renderTraining({ cloud_provider: "gcp" });
      const box = screen.getByLabelText(label) as HTMLInputElement;
      expect(box.disabled).toBe(true);
      expect(hintOf(box)).toContain("Not available on GKE");
    });
  });

  it("shows the training script with the engine's default and where to upload it", () => {
    render(
      <RequestForm
        teams={teams}
        clusters={clusters}
        initialKind="training_job"
        initialInput={initialInput("training_job", null)}
      />,
    );
    const field = screen.getByLabelText("Training script") as HTMLInputElement;
    expect(field.value).toBe("/data/code/train.py");
    const hint = document.getElementById(field.getAttribute("aria-describedby")!)!.textContent;
    expect(hint).toContain("upload it to training/<job name>/");
  });

  it("refuses an invalid value next to its field, focuses it, and sends nothing", async () => {
    renderForm();
    const max = screen.getByLabelText("Maximum replicas");
    fireEvent.change(max, { target: { value: "0" } });
    fireEvent.submit(screen.getByTestId("request-form"));
    await waitFor(() => expect(max.getAttribute("aria-invalid")).toBe("true"));
    const errorId = max
      .getAttribute("aria-describedby")!
      .split(" ")
      .find((id) => id.endsWith("-error"))!;
    expect(document.getElementById(errorId)!.textContent).toContain("Maximum replicas must be at least 1");
    expect(document.activeElement).toBe(max);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it.each([
    ["kube-system", "a Kubernetes system namespace the portal never writes to"],
    ["velero", 'which is protected on cluster "sandbox"'],
  ])("refuses %s as a namespace next to the field, before anything is sent", async (namespace, message) => {
    const guarded = [
      { id: "c-sandbox", name: "sandbox", isSandbox: true, protectedNamespaces: ["kube-system", "velero"] },
    ];
    render(
      <RequestForm
        teams={teams}
        clusters={guarded}
        initialKind="security_baseline"
        initialInput={initialInput("security_baseline", null)}
      />,
    );
    const field = screen.getByLabelText("inference namespace");
    fireEvent.change(field, { target: { value: namespace } });
    fireEvent.submit(screen.getByTestId("request-form"));
    await waitFor(() => expect(field.getAttribute("aria-invalid")).toBe("true"));
    const errorId = field
      .getAttribute("aria-describedby")!
      .split(" ")
      .find((id) => id.endsWith("-error"))!;
    expect(document.getElementById(errorId)!.textContent).toContain(message);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("puts the server's 422 field errors back on the fields", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(422, {
        error: {
          code: "validation_failed",
          message: "Invalid body",
          fields: [{ path: "input.model_server.port", message: "port 8080 is reserved on this cluster: pick another" }],
        },
      }),
    );
    renderForm();
    fireEvent.submit(screen.getByTestId("request-form"));
    const port = screen.getByLabelText("Port");
    await waitFor(() => expect(port.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText("port 8080 is reserved on this cluster: pick another")).toBeTruthy();
    expect(screen.getByTestId("submit-error").textContent).toContain("Invalid body");
    expect(push).not.toHaveBeenCalled();
  });

  it("submits kind, title, team, cluster and the full plan input, then opens the new request", async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: "req123", number: 4 }));
    renderForm();
    fireEvent.change(screen.getByLabelText("Title"), { target: { value: "Serve llama" } });
    fireEvent.submit(screen.getByTestId("request-form"));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/requests/req123"));
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe("/api/v1/requests");
    const body = JSON.parse(init.body as string);
    expect(body).toMatchObject({
      kind: "inference_scaling",
      title: "Serve llama",
      teamId: "team-nlp",
      clusterTargetId: "c-sandbox",
    });
    expect(body.input).toMatchObject({
      infrastructure_task: "auto_scaling",
      workload_type: "inference",
      scale_requirements: { max_replicas: FORM_DEFAULT_MAX_REPLICAS },
    });
  });

  it("shows the plan's HPA behavior in words, and resets a custom one to the reference default", async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: "req124", number: 5 }));
    renderForm({
      autoscaling: {
        behavior: {
          scaleDown: { stabilizationWindowSeconds: 120, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
        },
      },
    });
    const group = screen.getByRole("group", { name: /Scaling behavior \(HPA\)/ });
    expect(group.textContent).toContain("Scale-down120 s window, at most 1 pod per 60 s");
    const reset = screen.getByRole("button", { name: "Reset to the reference behavior" });
    fireEvent.click(reset);
    await waitFor(() =>
      expect(screen.getByRole("group", { name: "Scaling behavior (HPA): reference default" }).textContent).toContain(
        "300 s window, at most 10% per 60 s",
      ),
    );
    expect(screen.queryByRole("button", { name: "Reset to the reference behavior" })).toBeNull();
    fireEvent.submit(screen.getByTestId("request-form"));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/requests/req124"));
    const body = JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string);
    expect(body.input.autoscaling.behavior).toBeUndefined();
  });

  it("submits a custom HPA behavior from the link, and shows a refused one's error under the behavior", async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: "req125", number: 6 }));
    const behavior = {
      scaleUp: {
        stabilizationWindowSeconds: 30,
        selectPolicy: "Min",
        policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
      },
    };
    renderForm({ autoscaling: { behavior } });
    fireEvent.submit(screen.getByTestId("request-form"));
    await waitFor(() => expect(push).toHaveBeenCalledWith("/requests/req125"));
    const body = JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string);
    // As the plan schema reads it: the missing scale-down direction takes Kubernetes' default.
    expect(body.input.autoscaling.behavior).toEqual({
      ...behavior,
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
      },
    });
    cleanup();
    fetchMock.mockReset();
    renderForm({ autoscaling: { behavior: { scaleDown: { stabilizationWindowSeconds: 7200 } } } });
    fireEvent.submit(screen.getByTestId("request-form"));
    const group = screen.getByRole("group", { name: /Scaling behavior \(HPA\)/ });
    await waitFor(() =>
      expect(group.textContent).toContain(
        "autoscaling.behavior.scaleDown.stabilizationWindowSeconds must be at most 3600",
      ),
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DrillRunLive } from "./drill-run-live";
import { StartDrillButton } from "./start-drill-dialog";
import { DrillTimelineChart, formatOffset, stepTimes, tickStep, timelineRows } from "./drill-timeline-chart";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn() }) }));
afterEach(cleanup);
// The API's JSON as the page receives it (states as plain strings).
const asRun = (r: unknown) => r as Parameters<typeof DrillRunLive>[0]["initial"];

const base = {
  id: "run1",
  plan: {
    key: "model_corruption",
    name: "Model Artifact Recovery",
    version: 2,
    rtoMinutes: 15,
    rpoMinutes: 60,
    allowRestoreWarnings: false,
  },
  cluster: { id: "c1", name: "sandbox", isSandbox: true },
  namespaces: ["ml-inference"],
  mode: "live" as const,
  trigger: "manual",
  abortRequested: false,
  abortedBy: null,
  overrideReason: null,
  attempt: 1,
  createdAt: "2026-03-01T10:00:00.000Z",
  evidence: {},
};

const waiting = {
  ...base,
  status: "running" as const,
  startedAt: "2026-03-01T10:00:00.000Z",
  finishedAt: null,
  measuredRtoSeconds: null,
  measuredRpoSeconds: null,
  verdictReason: null,
  steps: [
    {
      index: 0,
      name: "Verify",
      type: "verify_backup",
      state: "succeeded",
      startedAt: "2026-03-01T10:00:00.000Z",
      finishedAt: "2026-03-01T10:00:02.000Z",
      error: null,
      confirmedBy: null,
      confirmedAt: null,
      output: {
        backup: {
          name: "b1",
          namespace: "velero",
          phase: "Completed",
          createdAt: "2026-03-01T09:20:00.000Z",
          errors: 0,
          warnings: 0,
        },
      },
    },
    {
      index: 1,
      name: "Identify model",
      type: "manual",
      state: "waiting_for_operator",
      startedAt: "2026-03-01T10:00:02.000Z",
      finishedAt: null,
      error: null,
      confirmedBy: null,
      confirmedAt: null,
      output: {
        manual: { instruction: "Find the READY model", command: "mlflow models list --filter 'status=READY'" },
        progress: "waiting for an operator to confirm",
      },
    },
  ],
};

describe("DrillRunLive", () => {
  it("shows the manual step's exact command with a confirm button, and abort while running", () => {
    render(<DrillRunLive initial={asRun(waiting)} canAbort canConfirm />);
    expect(screen.getByText("mlflow models list --filter 'status=READY'")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Confirm done" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Abort" })).toBeTruthy();
    expect(screen.getByText(/backup b1 Completed/)).toBeTruthy();
  });

  it("warns before an abort that the always-steps still run and a restore in progress is waited for", () => {
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    render(<DrillRunLive initial={asRun(waiting)} canAbort canConfirm />);
    fireEvent.click(screen.getByRole("button", { name: "Abort" }));
    const text = String((confirm.mock.calls[0] as unknown[] | undefined)?.[0]);
    expect(text).toMatch(/always-steps \(restore, roll-forward, cleanup\), which still run/);
    expect(text).toMatch(/waits for it to finish/);
    vi.unstubAllGlobals();
  });

  it('drops the "Confirmed: the drill continues." notice once the run has finished', async () => {
    const finished = {
      ...waiting,
      status: "passed" as const,
      finishedAt: "2026-03-01T10:02:00.000Z",
      verdictReason: "every step succeeded",
      steps: waiting.steps.map((s) => ({ ...s, state: "succeeded" })),
    };
    const fetchMock = vi.fn(
      async (url: string, init?: RequestInit) =>
        new Response(JSON.stringify(init?.method === "POST" ? { ok: true } : url.endsWith("/run1") ? finished : {}), {
          status: 200,
        }),
    );
    vi.stubGlobal("fetch", fetchMock);
    try {
      render(<DrillRunLive initial={asRun(waiting)} canAbort canConfirm />);
      fireEvent.click(screen.getByRole("button", { name: "Confirm done" }));
      expect(await screen.findByText("Confirmed: the drill continues.")).toBeTruthy();
      await waitFor(
        () => expect(within(screen.getByTestId("verdict")).getByText("every step succeeded")).toBeTruthy(),
        { timeout: 4000 },
      );
      expect(screen.queryByText("Confirmed: the drill continues.")).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("offers no confirm or abort to a reader", () => {
    render(<DrillRunLive initial={asRun(waiting)} canAbort={false} canConfirm={false} />);
    expect(screen.queryByRole("button", { name: "Confirm done" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Abort" })).toBeNull();
  });

  it("shows measured RTO/RPO against the targets and the verdict of a finished run", () => {
    const done = {
      ...waiting,
      status: "failed" as const,
      finishedAt: "2026-03-01T10:20:00.000Z",
      measuredRtoSeconds: 1200,
      measuredRpoSeconds: 2400,
      verdictReason: "RTO 20m 00s exceeds the target of 15m 00s",
      steps: waiting.steps.map((s) => ({ ...s, state: "succeeded" })),
    };
    render(<DrillRunLive initial={asRun(done)} canAbort canConfirm />);
    expect(within(screen.getByTestId("objective-rto")).getByText("over target")).toBeTruthy();
    expect(within(screen.getByTestId("objective-rpo")).getByText("within target")).toBeTruthy();
    expect(within(screen.getByTestId("verdict")).getByText("RTO 20m 00s exceeds the target of 15m 00s")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Abort" })).toBeNull();
  });

  it("says dry run once in the heading and once in the verdict, keeps both reports together, and titles the timeline once", () => {
    const dry = {
      ...waiting,
      mode: "dry_run" as const,
      status: "passed" as const,
      finishedAt: "2026-03-01T10:00:09.000Z",
      verdictReason: "all 2 steps pass their read-only checks; nothing was changed",
      steps: waiting.steps.map((s) => ({ ...s, state: "succeeded" })),
    };
    const { container } = render(<DrillRunLive initial={asRun(dry)} canAbort={false} canConfirm={false} />);
    const heading = screen.getByRole("heading", { level: 1 }).parentElement!;
    expect(
      within(heading)
        .getAllByText(/dry run/)
        .map((e) => e.textContent),
    ).toEqual(["dry run"]);
    expect(
      within(screen.getByTestId("verdict"))
        .getAllByText(/dry run/)
        .map((e) => e.textContent),
    ).toEqual(["dry run: passed"]);
    expect(
      within(screen.getByTestId("report-links"))
        .getAllByRole("link")
        .map((a) => a.textContent),
    ).toEqual(["Report (Markdown)", "Report (print / PDF)"]);
    expect([...container.querySelectorAll("h2, strong")].filter((e) => e.textContent === "Timeline")).toHaveLength(1);
  });

  it("says why RPO does not apply to a recovery by rollout undo", () => {
    const basis =
      "n/a: the rollout undo went back to revision 2, which served until the corrupt model was injected at 2026-03-01T10:00:03.000Z; no backup was restored and nothing in between was lost";
    const done = {
      ...waiting,
      status: "passed" as const,
      finishedAt: "2026-03-01T10:02:00.000Z",
      measuredRtoSeconds: 90,
      measuredRpoSeconds: null,
      verdictReason: "every step succeeded",
      evidence: { rpoBasis: basis },
      steps: waiting.steps.map((s) => ({ ...s, state: "succeeded" })),
    };
    render(<DrillRunLive initial={asRun(done)} canAbort canConfirm />);
    expect(within(screen.getByTestId("objective-rpo")).getByText(basis)).toBeTruthy();
  });
});

describe("DrillRunLive after an abort", () => {
  it("shows the manual rollback's instruction and command the operator must follow, not the step's", () => {
    const step = waiting.steps[1];
    const rollingBack = {
      ...waiting,
      abortRequested: true,
      steps: [
        waiting.steps[0],
        {
          ...step,
          output: {
            ...step!.output,
            rollback: {
              state: "running",
              manual: {
                instruction: "Destroy the half-created cluster before retrying.",
                command: "terraform destroy -target=module.eks",
              },
              progress: "waiting for an operator to confirm",
            },
          },
        },
      ],
    };
    render(<DrillRunLive initial={asRun(rollingBack)} canAbort canConfirm />);
    const box = screen.getByTestId("manual-rollback");
    expect(box.textContent).toContain("Roll back by hand before the drill can end (abort requested):");
    expect(within(box).getByText("Destroy the half-created cluster before retrying.")).toBeTruthy();
    expect(within(box).getByText("terraform destroy -target=module.eks")).toBeTruthy();
    expect(within(box).getByRole("button", { name: "Confirm rollback done" })).toBeTruthy();
    expect(screen.queryByText("Find the READY model")).toBeNull();
  });

  it("never shows a green RPO or RTO for an aborted run", () => {
    const aborted = {
      ...waiting,
      status: "aborted" as const,
      abortRequested: true,
      finishedAt: "2026-03-01T10:02:00.000Z",
      measuredRtoSeconds: 60,
      measuredRpoSeconds: 300,
      verdictReason: "aborted by sre@x",
      evidence: { rpoBasis: "not measured: the drill was aborted before it proved a recovery" },
      steps: waiting.steps.map((s) => ({ ...s, state: "skipped" })),
    };
    render(<DrillRunLive initial={asRun(aborted)} canAbort canConfirm />);
    for (const id of ["objective-rpo", "objective-rto"]) {
      const card = screen.getByTestId(id);
      expect(within(card).queryByText("within target")).toBeNull();
      expect(within(card).getByText("not measured").getAttribute("data-status")).toBe("not_measured");
    }
    expect(
      within(screen.getByTestId("objective-rpo")).getByText(
        "not measured: the drill was aborted before it proved a recovery",
      ),
    ).toBeTruthy();
  });
});

describe("StartDrillButton (live)", () => {
  it("lists each destructive step with its target and cluster before anything starts", () => {
    const destructive = [
      { index: 3, name: "Delete the namespace", effect: "delete namespace ml-inference and everything in it" },
      {
        index: 6,
        name: "Restore from Velero backup",
        effect: "overwrite ml-inference from a Velero backup (existingResourcePolicy update)",
        clusterTargetId: "c2",
      },
    ];
    const clusters = [
      { id: "c1", name: "sandbox", isSandbox: true, protectedNamespaces: [] },
      { id: "c2", name: "sandbox-standby", isSandbox: true, protectedNamespaces: [] },
    ];
    render(
      <StartDrillButton
        planKey="data_loss"
        planName="Data Loss Recovery"
        mode="live"
        clusters={clusters}
        defaultClusterId="c1"
        touchedNamespaces={["ml-inference"]}
        destructive={destructive}
        canOverrideProtected={false}
      />,
    );
    const items = within(screen.getByTestId("destructive-steps"))
      .getAllByRole("listitem", { hidden: true })
      .map((li) => li.textContent);
    expect(items).toEqual([
      "Step 4 (Delete the namespace): delete namespace ml-inference and everything in it on sandbox",
      "Step 7 (Restore from Velero backup): overwrite ml-inference from a Velero backup (existingResourcePolicy update) on sandbox-standby",
    ]);
  });

  it("names the cluster and namespaces and stays disabled until the cluster name is typed", () => {
    render(
      <StartDrillButton
        planKey="model_corruption"
        planName="Model Artifact Recovery"
        mode="live"
        clusters={[{ id: "c1", name: "sandbox", isSandbox: true, protectedNamespaces: [] }]}
        defaultClusterId="c1"
        touchedNamespaces={["ml-inference"]}
        canOverrideProtected={false}
      />,
    );
    const dialog = document.querySelector("dialog")!;
    expect(dialog.textContent).toContain("It will act on cluster sandbox in namespaces ml-inference");
    const submit = within(dialog).getByRole("button", {
      name: /Run live on sandbox/,
      hidden: true,
    }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText(/Type the cluster name/), { target: { value: "sandbox" } });
    expect(submit.disabled).toBe(false);
  });

  it("starts the live run on Enter in the confirmation field once the name matches, not before", async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ runId: "run9" }), { status: 201 }));
    vi.stubGlobal("fetch", fetchMock);
    try {
      render(
        <StartDrillButton
          planKey="model_corruption"
          planName="Model Artifact Recovery"
          mode="live"
          clusters={[{ id: "c1", name: "sandbox", isSandbox: true, protectedNamespaces: [] }]}
          defaultClusterId="c1"
          touchedNamespaces={["ml-inference"]}
          canOverrideProtected={false}
        />,
      );
      const input = within(document.querySelector("dialog")!).getByLabelText(/Type the cluster name/);
      fireEvent.change(input, { target: { value: "sandbo" } });
      fireEvent.keyDown(input, { key: "Enter" });
      expect(fetchMock).not.toHaveBeenCalled();
      fireEvent.change(input, { target: { value: "sandbox" } });
      fireEvent.keyDown(input, { key: "Enter" });
      await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
      const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
      expect(JSON.parse(String(init.body))).toMatchObject({ mode: "live", confirmation: "sandbox" });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("timelineRows", () => {
  it("places steps in seconds since the drill started; a running step extends to now", () => {
    const rows = timelineRows(waiting.steps, waiting.startedAt, Date.parse("2026-03-01T10:00:10.000Z"));
    expect(rows.map((r) => [r.start, r.end])).toEqual([
      [0, 2],
      [2, 10],
    ]);
  });
});

describe("the drill timeline", () => {
  it.each([
    [8, 2],
    [45, 10],
    [170, 30],
    [900, 300],
    [5400, 900],
  ])("puts at most six intervals on a %s s axis (step %s s)", (total, step) => {
    expect(tickStep(total)).toBe(step);
  });

  it.each([
    [12.34, 60, "12.3 s"],
    [300, 900, "5 min"],
    [9000, 10_800, "2 h 30 min"],
  ])("labels %s s of a %s s drill as %j", (seconds, total, text) => {
    expect(formatOffset(seconds, total)).toBe(text);
  });

  it("says each step's times in words: finished, running until now, or not started", () => {
    const [done, running] = timelineRows(waiting.steps, waiting.startedAt, Date.parse("2026-03-01T10:00:10.000Z"));
    expect(stepTimes(done!, 10)).toBe("0 s → 2 s");
    expect(stepTimes(running!, 10)).toMatch(/^2 s → now \(/);
    expect(stepTimes({ ...done!, start: null, end: null, state: "pending" }, 10)).toBe("not started");
  });

  it("lists every step by its full name, one list item each, however long the name", () => {
    const long = "Wait for the schedule's next backup (the recovery point)";
    render(
      <DrillTimelineChart
        steps={[
          {
            index: 0,
            name: long,
            state: "succeeded",
            startedAt: "2026-03-01T10:00:00.000Z",
            finishedAt: "2026-03-01T10:00:30.000Z",
          },
          { index: 1, name: "Verify canary data", state: "pending", startedAt: null, finishedAt: null },
        ]}
        startedAt="2026-03-01T10:00:00.000Z"
        nowMs={Date.parse("2026-03-01T10:01:00.000Z")}
      />,
    );
    const items = within(screen.getByTestId("drill-timeline")).getAllByRole("listitem");
    expect(items.slice(0, 2).map((li) => li.textContent)).toEqual([
      `1. ${long}0 s → 30 s`,
      "2. Verify canary datanot started",
    ]);
  });
});

describe("PlanEditor", () => {
  it("refuses steps that are not JSON before sending anything", async () => {
    const { PlanEditor } = await import("./plan-editor");
    const { drTemplates } = await import("@/lib/dr/templates");
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const plan = drTemplates().find((t) => t.key === "model_corruption")!;
    render(<PlanEditor plan={plan} version={1} clusters={[]} stepTypes={["manual"]} />);
    fireEvent.change(screen.getByLabelText("Steps (typed JSON)"), { target: { value: "[{" } });
    fireEvent.click(screen.getByRole("button", { name: "Save new version" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/^steps is not valid JSON/);
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });
});

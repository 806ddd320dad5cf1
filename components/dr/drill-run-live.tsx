"use client";
// A drill run as it happens: polls GET /api/v1/drills/{id} every 1.5 s while the run is queued or running and
// shows each step's state, the timeline, RTO/RPO against the targets, the verdict, and the operator actions
// (confirm a manual step, abort).
import { useState } from "react";
import { api } from "@/lib/client/endpoints";
import { useApiMutation, useApiQuery } from "@/lib/client/hooks";
import type { ResultOf } from "@/lib/client/api-client";
import { stepEvidenceLine } from "@/lib/dr/drill-report";
import { formatDuration, formatTargetMinutes } from "@/lib/dr/drill-verdict";
import type { StepOutput, StepRecord } from "@/lib/dr/step-record";
import { StatusBadge } from "@/components/ui/status-badge";
import { DrillTimelineChart } from "./drill-timeline-chart";
import { DrillVerdictBadge } from "./drill-run-summary";
import { Button, buttonClass } from "@/components/ui/button";

type RunView = ResultOf<typeof api.drills.get>;

const POLL_MS = 1500;
const active = (status: string) => status === "queued" || status === "running";

/** A figure that was not measured (aborted, failed before the recovery, n/a) is never shown as within target. */
function Objective({
  label,
  measured,
  targetMinutes,
  note,
  notApplicable,
}: {
  label: string;
  measured: number | null;
  targetMinutes: number;
  note?: string;
  notApplicable?: boolean;
}) {
  const within = measured !== null && measured <= targetMinutes * 60;
  return (
    <div className="card stat" data-testid={`objective-${label.toLowerCase()}`}>
      <div className="label">{label} measured / target</div>
      <div className="value">
        {notApplicable ? "n/a" : measured === null ? "—" : formatDuration(measured)}{" "}
        <span className="help">/ {formatTargetMinutes(targetMinutes)}</span>
      </div>
      <div>
        {measured === null ? (
          <>
            <StatusBadge status="not_measured" label={notApplicable ? "n/a" : "not measured"} />
            {note && <div className="help">{note}</div>}
          </>
        ) : (
          <StatusBadge status={within ? "passed" : "failed"} label={within ? "within target" : "over target"} />
        )}
      </div>
    </div>
  );
}

export function DrillRunLive({
  initial,
  canAbort,
  canConfirm,
}: {
  initial: RunView;
  canAbort: boolean;
  canConfirm: boolean;
}) {
  const polled = useApiQuery(
    api.drills.get,
    { path: { id: initial.id } },
    { initialData: initial, refetchInterval: (data) => (data && active(data.status) ? POLL_MS : false) },
  );
  const run = polled.data ?? initial;
  // The timeline's "now": the time of the newest answer, so running steps grow with each poll.
  const now = polled.dataUpdatedAt;
  // No invalidation: the worker acts on a confirmation or an abort at its next check, and the poll shows it then.
  const confirmStep = useApiMutation(api.drills.confirmStep);
  const abort = useApiMutation(api.drills.abort);
  // A progress notice ("Confirmed: the drill continues.") is about the run in progress and goes when it ends; an
  // error stays until the next action.
  const [message, setMessage] = useState<{ text: string; progress: boolean } | null>(null);

  async function act(call: () => Promise<unknown>, done: string) {
    setMessage(null);
    try {
      await call();
      setMessage({ text: done, progress: true });
    } catch (error) {
      setMessage({ text: error instanceof Error ? error.message : String(error), progress: false });
    }
  }

  return (
    <>
      <div className="row">
        <h1 className="flush">{run.plan.name}</h1>
        {/* The verdict is the card below: the heading says only which kind of run this is. */}
        <span className={`badge ${run.mode === "live" ? "badge-danger" : ""}`} data-testid="run-mode">
          {run.mode === "live" ? "LIVE" : "dry run"}
        </span>
        <span className="spacer" />
        {/* One group, so the two reports wrap onto the next line together rather than apart. */}
        <div className="row" role="group" aria-label="Drill report" data-testid="report-links">
          <a className={buttonClass()} href={`/api/v1/drills/${run.id}/report?format=md`} download>
            Report (Markdown)
          </a>
          <a
            className={buttonClass()}
            href={`/api/v1/drills/${run.id}/report?format=html`}
            target="_blank"
            rel="noreferrer"
          >
            Report (print / PDF)
          </a>
        </div>
        {canAbort && active(run.status) && !run.abortRequested && (
          <Button
            variant="danger"
            onClick={() => {
              if (
                window.confirm(
                  `Abort this drill on ${run.cluster.name}? The current step's rollback runs and the remaining steps are skipped, except the always-steps (restore, roll-forward, cleanup), which still run. A restore in progress cannot be cancelled in Velero: the drill waits for it to finish before it ends.`,
                )
              )
                void act(
                  () => abort.mutateAsync({ path: { id: run.id }, body: { reason: "aborted from the run page" } }),
                  "Abort requested: the drill stops at its next check.",
                );
            }}
          >
            Abort
          </Button>
        )}
      </div>
      <p className="subtitle">
        Plan <code>{run.plan.key}</code> v{run.plan.version} on <strong>{run.cluster.name}</strong>
        {run.cluster.isSandbox ? " (sandbox)" : ""} · namespaces {run.namespaces.join(", ")} · trigger {run.trigger}
        {run.overrideReason ? ` · protected-namespace override: ${run.overrideReason}` : ""}
      </p>
      {message && (!message.progress || active(run.status)) && (
        <p className={`alert ${message.progress ? "alert-info" : "alert-danger"}`} role="status">
          {message.text}
        </p>
      )}
      <div className="grid grid-stats" aria-live="polite">
        <div className="card stat" data-testid="verdict">
          <div className="label">Verdict</div>
          <div className="value">
            <DrillVerdictBadge mode={run.mode} status={run.status} />
          </div>
          <div className="help">{run.verdictReason ?? (run.abortRequested ? "abort requested…" : "in progress…")}</div>
        </div>
        <Objective
          label="RTO"
          measured={run.status === "aborted" ? null : run.measuredRtoSeconds}
          targetMinutes={run.plan.rtoMinutes}
          note={
            run.mode === "dry_run"
              ? "not measured in a dry run"
              : active(run.status)
                ? "not measured yet"
                : run.evidence?.rtoBasis
          }
        />
        <Objective
          label="RPO"
          measured={run.status === "aborted" ? null : run.measuredRpoSeconds}
          targetMinutes={run.plan.rpoMinutes}
          notApplicable={run.evidence?.rpoBasis?.startsWith("n/a")}
          note={active(run.status) ? "not measured yet" : run.evidence?.rpoBasis}
        />
        {!active(run.status) && run.evidence?.worstCaseRpoBasis && (
          <div className="card stat" data-testid="objective-rpo-worst-case">
            <div className="label">RPO, worst case / target</div>
            <div className="value">
              {run.evidence.worstCaseRpoSeconds == null ? "—" : formatDuration(run.evidence.worstCaseRpoSeconds)}{" "}
              <span className="help">/ {formatTargetMinutes(run.plan.rpoMinutes)}</span>
            </div>
            <div className="help">{run.evidence.worstCaseRpoBasis}</div>
          </div>
        )}
        <div className="card stat">
          <div className="label">Started / finished</div>
          <div>{run.startedAt?.replace("T", " ").slice(0, 19) ?? "queued"} UTC</div>
          <div>{run.finishedAt ? `${run.finishedAt.replace("T", " ").slice(0, 19)} UTC` : "—"}</div>
        </div>
      </div>
      <h2>Steps</h2>
      <table className="table" data-testid="drill-steps">
        <thead>
          <tr>
            <th>#</th>
            <th>Step</th>
            <th>State</th>
            <th>Duration</th>
            <th>What happened</th>
          </tr>
        </thead>
        <tbody>
          {run.steps.map((s) => {
            const output = (s.output ?? {}) as StepOutput;
            const record: StepRecord = {
              ...s,
              state: s.state as StepRecord["state"],
              startedAt: s.startedAt ? new Date(s.startedAt) : null,
              finishedAt: s.finishedAt ? new Date(s.finishedAt) : null,
              output,
            };
            const seconds = s.startedAt
              ? Math.round(((s.finishedAt ? Date.parse(s.finishedAt) : now) - Date.parse(s.startedAt)) / 1000)
              : null;
            return (
              <tr key={s.index} data-state={s.state}>
                <td>{s.index + 1}</td>
                <td>
                  {s.name}
                  <div className="help">{s.type}</div>
                </td>
                <td>
                  <StatusBadge
                    status={
                      s.state === "succeeded" ? "passed" : s.state === "waiting_for_operator" ? "running" : s.state
                    }
                    label={s.state.replace(/_/g, " ")}
                  />
                </td>
                <td>{formatDuration(seconds)}</td>
                <td>
                  {output.progress && <div>{output.progress}</div>}
                  <div>{stepEvidenceLine(record)}</div>
                  {s.error && <div className="field-error">{s.error}</div>}
                  {s.state === "waiting_for_operator" &&
                    (() => {
                      // After a failure or an abort the step's manual rollback waits: its instruction is the one to follow.
                      const rollback = output.rollback?.state === "running" ? output.rollback.manual : undefined;
                      const manual = rollback ?? output.manual;
                      return (
                        <div className="alert alert-warning" data-testid={rollback ? "manual-rollback" : "manual-step"}>
                          {rollback && (
                            <strong>
                              Roll back by hand before the drill can end{run.abortRequested ? " (abort requested)" : ""}
                              :
                            </strong>
                          )}
                          <div>{manual?.instruction ?? "An operator must confirm this step."}</div>
                          {manual?.command && <pre className="code">{manual.command}</pre>}
                          {canConfirm && (
                            <Button
                              variant="primary"
                              onClick={() =>
                                void act(
                                  () => confirmStep.mutateAsync({ path: { id: run.id, index: s.index }, body: {} }),
                                  rollback
                                    ? "Rollback confirmed: the drill ends its rollback."
                                    : "Confirmed: the drill continues.",
                                )
                              }
                            >
                              {rollback ? "Confirm rollback done" : "Confirm done"}
                            </Button>
                          )}
                        </div>
                      );
                    })()}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Timeline</h2>
      <DrillTimelineChart steps={run.steps} startedAt={run.startedAt} nowMs={now} />
    </>
  );
}

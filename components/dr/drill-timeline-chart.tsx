"use client";
// When each step ran, in seconds since the drill started: a Gantt-style list, one row per step with its name, a bar
// from its start to its end coloured by its state, and the times in words. HTML rather than a chart library's SVG
// axis, so long step names wrap inside their own column at any width instead of overlapping the next row's.
// CSV export of the same numbers.
import "./drill-timeline.css";
import { Button } from "@/components/ui/button";

export interface TimelineStep {
  index: number;
  name: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const stateColor: Record<string, string> = {
  succeeded: "var(--chart-2)",
  running: "var(--chart-1)",
  waiting_for_operator: "var(--chart-3)",
  failed: "var(--chart-5)",
  rolled_back: "var(--chart-4)",
  skipped: "var(--chart-6)",
  pending: "var(--chart-6)",
};

export type TimelineRow = ReturnType<typeof timelineRows>[number];

export function timelineRows(steps: TimelineStep[], drillStartedAt: string | null, nowMs: number) {
  const origin = drillStartedAt ? Date.parse(drillStartedAt) : NaN;
  return steps.map((s) => {
    const start = s.startedAt ? (Date.parse(s.startedAt) - origin) / 1000 : null;
    const end = s.finishedAt
      ? (Date.parse(s.finishedAt) - origin) / 1000
      : s.startedAt
        ? (nowMs - origin) / 1000
        : null;
    return {
      label: `${s.index + 1}. ${s.name}`,
      state: s.state,
      offset: start ?? 0,
      duration: start === null || end === null ? 0 : Math.max(0.1, end - start),
      start,
      end,
    };
  });
}

/** A round step between axis ticks giving at most `most` intervals over `total` seconds. */
export function tickStep(total: number, most = 6): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];
  return steps.find((s) => total / s <= most) ?? Math.ceil(total / most / 86_400) * 86_400;
}

/** "45 s" under three minutes, "12 min" or "2 h 30 min" above: an axis label a reader does not have to divide. */
export function formatOffset(seconds: number, total: number): string {
  if (total < 180) return `${Number(seconds.toFixed(1))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120
    ? `${minutes} min`
    : `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
}

/** A step's times in words: "0 s → 12.3 s", "started 4 s in, running", "not started". */
export function stepTimes(r: TimelineRow, total: number): string {
  if (r.start === null) return "not started";
  const from = formatOffset(r.start, total);
  if (r.state === "running" || r.state === "waiting_for_operator")
    return `${from} → now (${r.state.replace(/_/g, " ")})`;
  return `${from} → ${r.end === null ? "—" : formatOffset(r.end, total)}`;
}

function downloadCsv(rows: ReturnType<typeof timelineRows>) {
  const csv = [
    "step,state,start_seconds,end_seconds",
    ...rows.map((r) => `"${r.label.replace(/"/g, '""')}",${r.state},${r.start ?? ""},${r.end ?? ""}`),
  ].join("\n");
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: "drill-timeline.csv" });
  a.click();
  URL.revokeObjectURL(url);
}

export function DrillTimelineChart({
  steps,
  startedAt,
  nowMs,
}: {
  steps: TimelineStep[];
  startedAt: string | null;
  nowMs: number;
}) {
  const rows = timelineRows(steps, startedAt, nowMs);
  if (!startedAt) return <div className="card empty">The timeline appears when the drill starts.</div>;
  const latest = Math.max(1, ...rows.map((r) => r.end ?? 0));
  const step = tickStep(latest);
  const total = Math.ceil(latest / step) * step;
  const ticks = Array.from({ length: total / step + 1 }, (_, i) => i * step);
  const at = (seconds: number) => `${(seconds / total) * 100}%`;
  return (
    <figure className="card flush" aria-label="Step timeline">
      <div className="row">
        <figcaption>
          <span className="help">time since the drill started</span>
        </figcaption>
        <span className="spacer" />
        <Button onClick={() => downloadCsv(rows)}>Export CSV</Button>
      </div>
      <ol className="drill-gantt" data-testid="drill-timeline">
        {rows.map((r) => (
          <li key={r.label} className="drill-gantt-row" data-state={r.state}>
            <span className="drill-gantt-label">{r.label}</span>
            <span className="drill-gantt-track" aria-hidden>
              {ticks.map((t) => (
                <span key={t} className="drill-gantt-grid" style={{ left: at(t) }} />
              ))}
              {r.start !== null && (
                <span
                  className="drill-gantt-bar"
                  style={{
                    left: at(r.offset),
                    width: `max(3px, ${at(r.duration)})`,
                    background: stateColor[r.state] ?? "var(--chart-6)",
                  }}
                />
              )}
            </span>
            <span className="drill-gantt-times help">{stepTimes(r, total)}</span>
          </li>
        ))}
        <li className="drill-gantt-row drill-gantt-axis" aria-hidden>
          <span />
          <span className="drill-gantt-track">
            {ticks.map((t) => (
              <span key={t} className="drill-gantt-tick help" style={{ left: at(t) }}>
                {formatOffset(t, total)}
              </span>
            ))}
          </span>
          <span />
        </li>
      </ol>
      <ul className="row list-bare" aria-label="Legend">
        {Object.entries(stateColor)
          .filter(([k]) => k !== "pending")
          .map(([k, color]) => (
            <li key={k} className="help">
              <span aria-hidden className="legend-swatch" style={{ background: color }} />
              {k.replace(/_/g, " ")}
            </li>
          ))}
      </ul>
    </figure>
  );
}

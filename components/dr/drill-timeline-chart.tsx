"use client";
// When each step ran, in seconds since the drill started: a Gantt-style stacked bar (an invisible offset, then
// the step's duration coloured by its state). CSV export of the same numbers.
import dynamic from "next/dynamic";
import { Button } from "@/components/ui/button";

// recharts is most of the page's JavaScript: the bars load after first paint.
const DrillTimelineBars = dynamic(() => import("./drill-timeline-bars"), {
  ssr: false,
  loading: () => <div className="skeleton chart-160" />,
});

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
  return (
    <figure className="card flush" aria-label="Step timeline">
      <div className="row">
        <figcaption>
          <strong>Timeline</strong> <span className="help">seconds since the drill started</span>
        </figcaption>
        <span className="spacer" />
        <Button onClick={() => downloadCsv(rows)}>Export CSV</Button>
      </div>
      <DrillTimelineBars rows={rows} colors={stateColor} />
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

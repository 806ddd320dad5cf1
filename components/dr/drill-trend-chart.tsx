"use client";
// Measured RTO and RPO of a plan's live drills over time against the targets. Click a legend entry to hide a
// series; export the points as CSV.
import dynamic from "next/dynamic";
import { useState } from "react";
import { Button } from "@/components/ui/button";

// recharts is most of a page's JavaScript: the lines load after first paint, in the space they will take.
const DrillTrendLines = dynamic(() => import("./drill-trend-lines"), {
  ssr: false,
  loading: () => <div className="skeleton chart-280" />,
});

export interface TrendPoint {
  id: string;
  at: string;
  status: string;
  rtoMinutes: number | null;
  rpoMinutes: number | null;
  rtoTargetMinutes: number;
  rpoTargetMinutes: number;
}

export interface TrendUnit {
  /** "s" when every measured value is under two minutes (a 3 s RTO reads as 0.05 min otherwise), else "min". */
  unit: "s" | "min";
  /** Minutes to the unit. */
  factor: number;
}

export function trendUnit(points: readonly TrendPoint[]): TrendUnit {
  const measured = points.flatMap((p) => [p.rtoMinutes, p.rpoMinutes]).filter((v): v is number => v !== null);
  return measured.length && Math.max(...measured) < 2 ? { unit: "s", factor: 60 } : { unit: "min", factor: 1 };
}

/** The points in the chart's unit, rounded so a 3 s RTO reads "3", not "3.0000000004". */
export function trendData(points: readonly TrendPoint[], { factor }: TrendUnit) {
  const to = (v: number | null) => (v === null ? null : Math.round(v * factor * 100) / 100);
  return points.map((p) => ({
    ...p,
    when: p.at.slice(0, 16).replace("T", " "),
    rto: to(p.rtoMinutes),
    rpo: to(p.rpoMinutes),
    rtoTarget: to(p.rtoTargetMinutes) ?? 0,
    rpoTarget: to(p.rpoTargetMinutes) ?? 0,
  }));
}

export type TrendRow = ReturnType<typeof trendData>[number];

const amount = (v: number) => v.toLocaleString("en-US");

/** The caption's last drill: each measure with its target, "not measured" when the drill had none. */
export function trendCaption(row: TrendRow, unit: "s" | "min"): string {
  const part = (label: string, value: number | null, target: number) =>
    `${label} ${value === null ? "not measured" : `${amount(value)} ${unit}`} (target ${amount(target)} ${unit})`;
  return `last: ${part("RTO", row.rto, row.rtoTarget)} · ${part("RPO", row.rpo, row.rpoTarget)}`;
}

/**
 * Targets far above what drills measure (a 6 s RTO against a 3,600 s RPO target) would flatten every point onto the
 * axis: a target more than 4 times the largest measured value stays in the caption instead of on the chart.
 */
export function trendTargets(data: readonly TrendRow[]): { rto: boolean; rpo: boolean } {
  const measured = data.flatMap((r) => [r.rto, r.rpo]).filter((v): v is number => v !== null);
  if (!measured.length) return { rto: true, rpo: true };
  const top = Math.max(...measured);
  const last = data.at(-1);
  return { rto: !!last && last.rtoTarget <= 4 * top, rpo: !!last && last.rpoTarget <= 4 * top };
}

export function DrillTrendChart({ points }: { points: TrendPoint[] }) {
  const [hidden, setHidden] = useState<Record<string, boolean>>({});
  const last = points.at(-1);
  if (!last) return <div className="card empty">No finished live drills yet: run one to start the trend.</div>;
  const toggle = (key: string) => setHidden((h) => ({ ...h, [key]: !h[key] }));
  const unit = trendUnit(points);
  const data = trendData(points, unit);
  const exportCsv = () => {
    const csv = [
      "started_at,status,rto_minutes,rto_target_minutes,rpo_minutes,rpo_target_minutes",
      ...points.map(
        (p) =>
          `${p.at},${p.status},${p.rtoMinutes ?? ""},${p.rtoTargetMinutes},${p.rpoMinutes ?? ""},${p.rpoTargetMinutes}`,
      ),
    ].join("\n");
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    Object.assign(document.createElement("a"), { href: url, download: "drill-trend.csv" }).click();
    URL.revokeObjectURL(url);
  };
  return (
    <figure className="card flush" aria-label="RTO and RPO trend">
      <div className="row">
        <figcaption>
          <strong>RTO and RPO per drill</strong>{" "}
          <span className="help" data-testid="trend-caption">
            {trendCaption(data.at(-1)!, unit.unit)}
          </span>
        </figcaption>
        <span className="spacer" />
        <Button onClick={exportCsv}>Export CSV</Button>
      </div>
      <DrillTrendLines data={data} unit={unit.unit} hidden={hidden} onToggle={toggle} targets={trendTargets(data)} />
    </figure>
  );
}

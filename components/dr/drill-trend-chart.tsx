"use client";
// Measured RTO and RPO of a plan's live drills over time against the targets. Click a legend entry to hide a
// series; export the points as CSV.
import { useState } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { Button } from "@/components/ui/button";

export interface TrendPoint {
  id: string;
  at: string;
  status: string;
  rtoMinutes: number | null;
  rpoMinutes: number | null;
  rtoTargetMinutes: number;
  rpoTargetMinutes: number;
}

export function DrillTrendChart({ points }: { points: TrendPoint[] }) {
  const [hidden, setHidden] = useState<Record<string, boolean>>({});
  if (points.length === 0)
    return <div className="card empty">No finished live drills yet: run one to start the trend.</div>;
  const last = points[points.length - 1];
  if (!last) return null;
  const data = points.map((p) => ({ ...p, when: p.at.slice(0, 16).replace("T", " ") }));
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
    <figure className="card" style={{ margin: 0 }} aria-label="RTO and RPO trend">
      <div className="row">
        <figcaption>
          <strong>RTO and RPO per drill</strong>{" "}
          <span className="help">
            last: RTO {last.rtoMinutes ?? "—"} min of {last.rtoTargetMinutes}, RPO {last.rpoMinutes ?? "—"} min of{" "}
            {last.rpoTargetMinutes}
          </span>
        </figcaption>
        <span className="spacer" />
        <Button onClick={exportCsv}>Export CSV</Button>
      </div>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={data} margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="when" />
          <YAxis unit=" min" />
          <Tooltip formatter={(v, n) => [`${v} min`, n]} />
          <Legend onClick={(e) => setHidden((h) => ({ ...h, [String(e.dataKey)]: !h[String(e.dataKey)] }))} />
          <Line
            dataKey="rtoMinutes"
            name="RTO measured"
            stroke="var(--chart-1)"
            hide={hidden.rtoMinutes}
            connectNulls
            isAnimationActive={false}
          />
          <Line
            dataKey="rpoMinutes"
            name="RPO measured"
            stroke="var(--chart-3)"
            hide={hidden.rpoMinutes}
            connectNulls
            isAnimationActive={false}
          />
          {!hidden.rtoMinutes && (
            <ReferenceLine
              y={last.rtoTargetMinutes}
              stroke="var(--chart-1)"
              strokeDasharray="6 4"
              label={`RTO target ${last.rtoTargetMinutes} min`}
            />
          )}
          {!hidden.rpoMinutes && (
            <ReferenceLine
              y={last.rpoTargetMinutes}
              stroke="var(--chart-3)"
              strokeDasharray="6 4"
              label={`RPO target ${last.rpoTargetMinutes} min`}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

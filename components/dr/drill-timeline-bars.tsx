"use client";
// The recharts part of the drill timeline (drill-timeline-chart.tsx), loaded after first paint.
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TimelineRow } from "./drill-timeline-chart";

export default function DrillTimelineBars({ rows, colors }: { rows: TimelineRow[]; colors: Record<string, string> }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, rows.length * 34 + 60)}>
      <BarChart data={rows} layout="vertical" margin={{ left: 24, right: 24, top: 8, bottom: 16 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" unit=" s" label={{ value: "seconds since start", position: "insideBottom", offset: -8 }} />
        <YAxis type="category" dataKey="label" width={220} />
        <Tooltip
          formatter={(_v, _n, item) => {
            const r = item.payload as TimelineRow;
            return [
              `${r.start?.toFixed(1) ?? "—"} s → ${r.end?.toFixed(1) ?? "—"} s (${r.state.replace(/_/g, " ")})`,
              "ran",
            ];
          }}
        />
        <Bar dataKey="offset" stackId="t" fill="transparent" isAnimationActive={false} legendType="none" />
        <Bar dataKey="duration" stackId="t" isAnimationActive={false} name="duration">
          {rows.map((r) => (
            <Cell key={r.label} fill={colors[r.state] ?? "var(--chart-6)"} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

"use client";
// The recharts part of the RTO/RPO trend (drill-trend-chart.tsx), loaded after first paint.
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
import type { TrendRow } from "./drill-trend-chart";

export default function DrillTrendLines({
  data,
  unit,
  hidden,
  onToggle,
  targets,
}: {
  data: TrendRow[];
  unit: "s" | "min";
  hidden: Record<string, boolean>;
  onToggle: (dataKey: string) => void;
  /** Which target lines fit the measured values' scale (drill-trend-chart.tsx); the caption names both. */
  targets: { rto: boolean; rpo: boolean };
}) {
  const last = data.at(-1);
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data} margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="when" />
        <YAxis unit={` ${unit}`} />
        <Tooltip formatter={(v, n) => [`${String(v)} ${unit}`, n]} />
        <Legend onClick={(e) => onToggle(String(e.dataKey))} />
        <Line
          dataKey="rto"
          name="RTO measured"
          stroke="var(--chart-1)"
          hide={hidden.rto}
          connectNulls
          dot={{ r: 4 }}
          isAnimationActive={false}
        />
        <Line
          dataKey="rpo"
          name="RPO measured"
          stroke="var(--chart-3)"
          hide={hidden.rpo}
          connectNulls
          dot={{ r: 4 }}
          isAnimationActive={false}
        />
        {/* extendDomain: a target far above the measured values still gets its line, the axis grows to it. */}
        {!hidden.rto && targets.rto && last && (
          <ReferenceLine
            y={last.rtoTarget}
            ifOverflow="extendDomain"
            stroke="var(--chart-1)"
            strokeDasharray="6 4"
            label={{ value: `RTO target ${last.rtoTarget} ${unit}`, position: "insideTopLeft" }}
          />
        )}
        {!hidden.rpo && targets.rpo && last && (
          <ReferenceLine
            y={last.rpoTarget}
            ifOverflow="extendDomain"
            stroke="var(--chart-3)"
            strokeDasharray="6 4"
            label={{ value: `RPO target ${last.rpoTarget} ${unit}`, position: "insideTopLeft" }}
          />
        )}
      </LineChart>
    </ResponsiveContainer>
  );
}

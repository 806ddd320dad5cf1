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
import type { TrendPoint } from "./drill-trend-chart";

export default function DrillTrendLines({
  data,
  last,
  hidden,
  onToggle,
}: {
  data: Array<TrendPoint & { when: string }>;
  last: TrendPoint;
  hidden: Record<string, boolean>;
  onToggle: (dataKey: string) => void;
}) {
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data} margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="when" />
        <YAxis unit=" min" />
        <Tooltip formatter={(v, n) => [`${v} min`, n]} />
        <Legend onClick={(e) => onToggle(String(e.dataKey))} />
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
  );
}

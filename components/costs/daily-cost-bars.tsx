"use client";
// The recharts part of the daily cost chart, loaded after first paint (recharts is most of the page's JavaScript).
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { compactUsd, usd2 } from "./format";

const colors = [
  "var(--chart-1)",
  "var(--chart-2)",
  "var(--chart-3)",
  "var(--chart-4)",
  "var(--chart-5)",
  "var(--chart-6)",
  "#2e90fa",
  "#66c61c",
  "#ee46bc",
  "#7a5af8",
];

export default function DailyCostBars(props: {
  keys: string[];
  names: Readonly<Record<string, string>>;
  points: Array<Record<string, number | string>>;
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
}) {
  // Today's bar holds only the hours so far: drawn faded and labelled, so nobody reads it as a drop. Rendered in the
  // browser only (loaded after first paint), so "today" is the reader's own UTC day.
  const today = new Date().toISOString().slice(0, 10);
  const hasToday = props.points.some((p) => p.day === today);
  return (
    <ResponsiveContainer>
      <BarChart data={props.points} margin={{ top: 10, right: 10, left: 10, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="day" tickFormatter={(d: string) => (d === today ? "today" : d.slice(5))} minTickGap={16} />
        <YAxis
          tickFormatter={compactUsd}
          width={60}
          label={{ value: "USD / day", angle: -90, position: "insideLeft", offset: 0, style: { fontSize: 12 } }}
        />
        <Tooltip
          formatter={(v) => usd2(Number(v))}
          labelFormatter={(d) => (d === today ? `${d} (today so far, UTC)` : String(d))}
        />
        {hasToday && (
          <ReferenceArea
            x1={today}
            x2={today}
            fill="transparent"
            label={{ value: "so far", position: "insideTop", fontSize: 11, fill: "var(--muted)" }}
          />
        )}
        <Legend onClick={(e) => props.onToggle(String(e.dataKey))} wrapperStyle={{ cursor: "pointer" }} />
        {props.keys.map((k, i) => (
          <Bar
            key={k}
            dataKey={k}
            name={props.names[k] ?? k}
            stackId="cost"
            fill={colors[i % colors.length]}
            hide={props.hidden.has(k)}
            isAnimationActive={false}
          >
            {props.points.map((p) => (
              <Cell key={String(p.day)} fillOpacity={p.day === today ? 0.4 : 1} />
            ))}
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

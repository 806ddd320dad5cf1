"use client";
// Stacked daily GPU cost per group, with legend toggles and PNG/CSV export.
import { useRef, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { exportChartPng } from "./export-png";
import { compactUsd, usd0, usd2 } from "./format";

const colors = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)", "var(--chart-6)", "#2e90fa", "#66c61c", "#ee46bc", "#7a5af8"];

export function DailyCostChart(props: { keys: string[]; points: Array<Record<string, number | string>>; totalUsd: number; groupLabel: string; csvHref: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const toggle = (key: string) => setHidden((h) => { const n = new Set(h); if (n.has(key)) n.delete(key); else n.add(key); return n; });
  return (
    <section className="card" aria-labelledby="daily-cost-title">
      <div className="row">
        <div>
          <h2 id="daily-cost-title" style={{ margin: 0 }}>Daily GPU cost by {props.groupLabel}</h2>
          <div className="stat"><span className="value" data-testid="headline-total">{usd0(props.totalUsd)}</span> <span className="help">in the range</span></div>
        </div>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => exportChartPng(ref.current, "daily-gpu-cost.png")}>Export PNG</button>
        <a className="btn" href={props.csvHref} download data-testid="export-csv">Export CSV</a>
      </div>
      <div ref={ref} style={{ width: "100%", height: 320 }}>
        <ResponsiveContainer>
          <BarChart data={props.points} margin={{ top: 10, right: 10, left: 10, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} minTickGap={16} />
            <YAxis tickFormatter={compactUsd} width={60} label={{ value: "USD / day", angle: -90, position: "insideLeft", offset: 0, style: { fontSize: 12 } }} />
            <Tooltip formatter={(v) => usd2(Number(v))} />
            <Legend onClick={(e) => toggle(String(e.dataKey))} wrapperStyle={{ cursor: "pointer" }} />
            {props.keys.map((k, i) => (
              <Bar key={k} dataKey={k} stackId="cost" fill={colors[i % colors.length]} hide={hidden.has(k)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

"use client";
// Demand against ready capacity with the replica count, and p99 latency against the SLO, over the trace.
// Clicking a legend entry hides or shows its series; "Export CSV" downloads the plotted numbers.
import { useMemo, useState } from "react";
import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatLatency } from "@/lib/scaling/explain-profile";
import type { SimulationResult } from "@/lib/scaling/simulate";
import { Button } from "@/components/ui/button";

const series = [
  { key: "demandRps", name: "Demand (req/s)", color: "var(--chart-1, #3346d3)", axis: "rate" },
  { key: "capacityRps", name: "Ready capacity (req/s)", color: "var(--chart-2, #0e9384)", axis: "rate" },
  { key: "replicas", name: "Replicas", color: "var(--chart-3, #d9730d)", axis: "count" },
  { key: "readyReplicas", name: "Ready replicas", color: "var(--chart-4, #9e3fd0)", axis: "count" },
] as const;

export function SimulationChart({
  result,
  sloP99Ms,
  title,
}: {
  result: SimulationResult;
  sloP99Ms: number;
  title: string;
}) {
  const [hidden, setHidden] = useState<Set<string>>(new Set(["readyReplicas"]));
  // The minute's own p99 (what the violation count judges) beside the trigger's windowed reading.
  const data = useMemo(
    () =>
      result.series.map((s) => ({
        ...s,
        minute: Number((s.t / 60).toFixed(2)),
        minuteP99Ms: result.minuteP99Ms[Math.min(result.minuteP99Ms.length - 1, Math.floor(s.t / 60))],
      })),
    [result],
  );
  const toggle = (key: unknown) => {
    if (typeof key !== "string") return;
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  };

  return (
    <figure className="flush" aria-label={`Simulation of ${title}`}>
      <div className="row-between">
        <figcaption className="fw-600">{title}: demand, capacity and replicas</figcaption>
        <Button onClick={() => downloadCsv(result, title)}>Export CSV</Button>
      </div>
      <ResponsiveContainer width="100%" height={260}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid stroke="var(--border, #dfe3ea)" strokeDasharray="3 3" />
          <XAxis
            dataKey="minute"
            type="number"
            domain={["dataMin", "dataMax"]}
            unit=" min"
            label={{ value: "minutes since trace start", position: "insideBottom", offset: -8 }}
          />
          <YAxis yAxisId="rate" width={70} label={{ value: "requests/s", angle: -90, position: "insideLeft" }} />
          <YAxis
            yAxisId="count"
            orientation="right"
            allowDecimals={false}
            label={{ value: "replicas", angle: 90, position: "insideRight" }}
          />
          <Tooltip
            formatter={(value, name) => [typeof value === "number" ? value.toFixed(2) : String(value), name]}
            labelFormatter={(m) => `minute ${m}`}
          />
          <Legend verticalAlign="top" onClick={(entry) => toggle(entry.dataKey)} wrapperStyle={{ cursor: "pointer" }} />
          {series.map((s) => (
            <Line
              key={s.key}
              yAxisId={s.axis}
              dataKey={s.key}
              name={s.name}
              stroke={s.color}
              dot={false}
              isAnimationActive={false}
              type={s.axis === "count" ? "stepAfter" : "monotone"}
              hide={hidden.has(s.key)}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
      <ResponsiveContainer width="100%" height={180}>
        <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 8 }}>
          <CartesianGrid stroke="var(--border, #dfe3ea)" strokeDasharray="3 3" />
          <XAxis
            dataKey="minute"
            type="number"
            domain={["dataMin", "dataMax"]}
            unit=" min"
            label={{ value: "minutes since trace start", position: "insideBottom", offset: -8 }}
          />
          <YAxis width={70} label={{ value: "ms", angle: -90, position: "insideLeft" }} />
          <Tooltip
            formatter={(value, name) => [typeof value === "number" ? formatLatency(value) : String(value), name]}
            labelFormatter={(m) => `minute ${m}`}
          />
          <Legend verticalAlign="top" onClick={(entry) => toggle(entry.dataKey)} wrapperStyle={{ cursor: "pointer" }} />
          <ReferenceLine
            y={sloP99Ms}
            stroke="var(--danger, #b42318)"
            strokeDasharray="4 4"
            label={{ value: `SLO ${sloP99Ms} ms`, position: "right" }}
          />
          <Line
            dataKey="p99LatencyMs"
            name="trigger's p99 (last window, ms)"
            stroke="var(--chart-5, #c4314b)"
            dot={false}
            isAnimationActive={false}
            hide={hidden.has("p99LatencyMs")}
          />
          <Line
            dataKey="minuteP99Ms"
            name="p99 of the minute's requests (ms): above the SLO = a violation minute"
            type="stepAfter"
            stroke="var(--chart-6, #475467)"
            dot={false}
            isAnimationActive={false}
            hide={hidden.has("minuteP99Ms")}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}

function downloadCsv(result: SimulationResult, title: string) {
  const header =
    "t_seconds,demand_rps,capacity_rps,replicas,ready_replicas,queue_depth,p99_latency_ms,gpu_utilization_percent,minute_p99_ms";
  const lines = result.series.map((s) =>
    [
      s.t,
      s.demandRps,
      s.capacityRps,
      s.replicas,
      s.readyReplicas,
      s.queueDepth,
      s.p99LatencyMs,
      s.gpuUtilizationPercent,
      result.minuteP99Ms[Math.floor(s.t / 60)] ?? "",
    ].join(","),
  );
  const url = URL.createObjectURL(new Blob([[header, ...lines].join("\n")], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `simulation-${title.replace(/[^a-z0-9-]+/gi, "-")}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

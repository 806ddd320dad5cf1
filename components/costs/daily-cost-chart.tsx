"use client";
// Stacked daily GPU cost per group, with legend toggles and PNG/CSV export.
import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { exportChartPng } from "./export-png";
import { usd0 } from "./format";
import { Button, buttonClass } from "@/components/ui/button";

const DailyCostBars = dynamic(() => import("./daily-cost-bars"), {
  ssr: false,
  loading: () => <div className="skeleton chart-300" />,
});

export function DailyCostChart(props: {
  keys: string[];
  points: Array<Record<string, number | string>>;
  totalUsd: number;
  groupLabel: string;
  /** Key to the name the legend and tooltip show (a team's name for its slug); a key not listed shows as itself. */
  names?: Readonly<Record<string, string>>;
  csvHref: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const toggle = (key: string) =>
    setHidden((h) => {
      const n = new Set(h);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  return (
    <section className="card" aria-labelledby="daily-cost-title">
      <div className="row">
        <div>
          <h2 className="flush" id="daily-cost-title">
            Daily GPU cost by {props.groupLabel}
          </h2>
          <div className="stat">
            <span className="value" data-testid="headline-total">
              {usd0(props.totalUsd)}
            </span>{" "}
            <span className="help">in the range</span>
          </div>
        </div>
        <span className="spacer" />
        <Button onClick={() => exportChartPng(ref.current, "daily-gpu-cost.png")}>Export PNG</Button>
        <a className={buttonClass()} href={props.csvHref} download data-testid="export-csv">
          Export CSV
        </a>
      </div>
      <div className="chart-box" ref={ref} data-testid="daily-cost-chart">
        <DailyCostBars
          keys={props.keys}
          names={props.names ?? {}}
          points={props.points}
          hidden={hidden}
          onToggle={toggle}
        />
      </div>
      <p className="help flush mt-4">Days are UTC. Today&apos;s bar is faded: it holds only the hours so far.</p>
    </section>
  );
}

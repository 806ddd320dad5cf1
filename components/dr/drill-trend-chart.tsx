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

export function DrillTrendChart({ points }: { points: TrendPoint[] }) {
  const [hidden, setHidden] = useState<Record<string, boolean>>({});
  const last = points.at(-1);
  if (!last) return <div className="card empty">No finished live drills yet: run one to start the trend.</div>;
  const toggle = (key: string) => setHidden((h) => ({ ...h, [key]: !h[key] }));
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
    <figure className="card flush" aria-label="RTO and RPO trend">
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
      <DrillTrendLines data={data} last={last} hidden={hidden} onToggle={toggle} />
    </figure>
  );
}

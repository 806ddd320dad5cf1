"use client";
// The numbers of every simulated profile side by side; a row's button shows it in the chart.
import type { ScalingProfile } from "@/lib/scaling/schema";
import type { SimulationResult } from "@/lib/scaling/simulate";

export interface SimulationRow {
  key: string;
  label: string;
  kind: "form" | "reference" | "recommended";
  result?: SimulationResult;
  error?: string;
}

export function SimulationTable({
  rows,
  selected,
  onSelect,
  oracleGpuHours,
  onUseRecommended,
}: {
  rows: SimulationRow[];
  selected?: string;
  onSelect: (key: string) => void;
  oracleGpuHours?: number;
  onUseRecommended?: (profile: ScalingProfile) => void;
}) {
  return (
    <table className="table">
      <caption className="visually-hidden">Simulated outcome per scaling profile</caption>
      <thead>
        <tr>
          <th scope="col">Profile</th>
          <th scope="col">Replicas (min–max)</th>
          <th scope="col">GPU-hours</th>
          <th scope="col">Cost (USD)</th>
          <th scope="col">p50 (ms)</th>
          <th scope="col">p99 (ms)</th>
          <th scope="col">Minutes over SLO</th>
          <th scope="col">Scale events</th>
          <th scope="col"><span className="visually-hidden">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} aria-selected={row.key === selected}>
            <th scope="row">
              {row.label}
              {row.kind !== "form" && <span className={`badge ${row.kind === "recommended" ? "badge-success" : "badge-info"}`} style={{ marginLeft: 6 }}>{row.kind}</span>}
            </th>
            {row.result ? (
              <>
                <td>{row.result.profile.minReplicas}–{row.result.profile.maxReplicas}</td>
                <td>{row.result.gpuHours.toFixed(2)}{oracleGpuHours ? <span style={{ color: "var(--muted)" }}> ({(row.result.gpuHours / oracleGpuHours).toFixed(2)}× oracle)</span> : null}</td>
                <td>{row.result.costUsd.toFixed(2)}</td>
                <td>{Math.round(row.result.p50LatencyMs).toLocaleString()}</td>
                <td>{Math.round(row.result.p99LatencyMs).toLocaleString()}</td>
                <td>{row.result.sloViolationMinutes}</td>
                <td>{row.result.scaleEvents}</td>
                <td style={{ whiteSpace: "nowrap" }}>
                  <button type="button" className="btn" onClick={() => onSelect(row.key)} aria-pressed={row.key === selected}>
                    Chart
                  </button>
                  {row.kind === "recommended" && onUseRecommended && (
                    <button type="button" className="btn btn-primary" style={{ marginLeft: 6 }} onClick={() => onUseRecommended(row.result!.profile)}>
                      Use this profile
                    </button>
                  )}
                </td>
              </>
            ) : (
              <td colSpan={8} className="field-error">Not simulated: {row.error}</td>
            )}
          </tr>
        ))}
        {oracleGpuHours !== undefined && (
          <tr>
            <th scope="row">oracle (perfect foresight, no start-up delay)</th>
            <td>–</td>
            <td>{oracleGpuHours.toFixed(2)}</td>
            <td colSpan={6} style={{ color: "var(--muted)" }}>The fewest GPU-hours any profile could use on this trace.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

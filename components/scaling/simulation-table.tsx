"use client";
// The numbers of every simulated profile side by side; a row's button shows it in the chart.
import { formatLatency } from "@/lib/scaling/explain-profile";
import type { ScalingRecommendation } from "@/lib/scaling/recommend-profile";
import type { ScalingProfile } from "@/lib/scaling/schema";
import type { SimulationResult } from "@/lib/scaling/simulate";
import { Button } from "@/components/ui/button";

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
  bounds,
  robustness,
  onUseRecommended,
}: {
  rows: SimulationRow[];
  selected?: string;
  onSelect: (key: string) => void;
  oracleGpuHours?: number;
  bounds?: ScalingRecommendation["bounds"];
  robustness?: ScalingRecommendation["robustness"];
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
          <th scope="col">p50</th>
          <th scope="col">p99</th>
          <th scope="col">Minutes over SLO</th>
          <th scope="col">Scale events</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} aria-selected={row.key === selected}>
            <th scope="row">
              {row.label}
              {row.kind !== "form" && (
                <span className={`badge ${row.kind === "recommended" ? "badge-success" : "badge-info"} ml-6`}>
                  {row.kind}
                </span>
              )}
            </th>
            {row.result ? (
              <>
                <td>
                  {row.result.profile.minReplicas}–{row.result.profile.maxReplicas}
                </td>
                <td>
                  {row.result.gpuHours.toFixed(2)}
                  {oracleGpuHours ? (
                    <span className="text-muted"> ({(row.result.gpuHours / oracleGpuHours).toFixed(2)}× oracle)</span>
                  ) : null}
                </td>
                <td>{row.result.costUsd.toFixed(2)}</td>
                <td>{formatLatency(row.result.p50LatencyMs)}</td>
                <td>{formatLatency(row.result.p99LatencyMs)}</td>
                <td>{row.result.sloViolationMinutes}</td>
                <td>{row.result.scaleEvents}</td>
                <td className="nowrap">
                  <Button onClick={() => onSelect(row.key)} aria-pressed={row.key === selected}>
                    Chart
                  </Button>
                  {row.kind === "recommended" && onUseRecommended && (
                    <Button
                      className="ml-6"
                      variant="primary"

                      onClick={() => onUseRecommended(row.result!.profile)}
                    >
                      Use this profile
                    </Button>
                  )}
                </td>
              </>
            ) : (
              <td colSpan={8} className="field-error">
                Not simulated: {row.error}
              </td>
            )}
          </tr>
        ))}
        {bounds ? (
          <>
            <BoundRow
              label="oracle (perfect foresight, no start-up delay)"
              gpuHours={bounds.oracle.gpuHours}
              ratio={bounds.oracle.ratio}
              note="The fewest GPU-hours any profile could use on this trace."
            />
            <BoundRow
              label="clairvoyant (perfect foresight, pays the start-up)"
              gpuHours={bounds.clairvoyant.gpuHours}
              ratio={bounds.clairvoyant.ratio}
              note="Starts each replica one start-up delay before it is needed: about the best a reactive autoscaler could hope for."
            />
            {bounds.bestFixed ? (
              <BoundRow
                label={`best fixed count (${bounds.bestFixed.replicas} replicas all hour)`}
                gpuHours={bounds.bestFixed.gpuHours}
                ratio={bounds.bestFixed.ratio}
                note={`The fewest replicas that, never scaled, meet the SLO (${bounds.bestFixed.sloViolationMinutes} min over it). The recommendation never costs more.${robustness ? ` ${robustnessNote(robustness)}` : ""}`}
              />
            ) : (
              <tr>
                <th scope="row">best fixed count</th>
                <td className="text-muted" colSpan={8}>
                  No fixed count meets the SLO on this trace.
                </td>
              </tr>
            )}
          </>
        ) : (
          oracleGpuHours !== undefined && (
            <BoundRow
              label="oracle (perfect foresight, no start-up delay)"
              gpuHours={oracleGpuHours}
              note="The fewest GPU-hours any profile could use on this trace."
            />
          )
        )}
      </tbody>
    </table>
  );
}

// A bound beside the profiles: its GPU-hours and the recommendation's ratio to it.
function BoundRow({ label, gpuHours, ratio, note }: { label: string; gpuHours: number; ratio?: number; note: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>–</td>
      <td>
        {gpuHours.toFixed(2)}
        {ratio !== undefined && Number.isFinite(ratio) ? (
          <span className="text-muted"> (recommended {ratio.toFixed(2)}×)</span>
        ) : null}
      </td>
      <td className="text-muted" colSpan={6}>
        {note}
      </td>
    </tr>
  );
}

// The margin the recommendation was held to, with the figures it was judged on.
export function robustnessNote(r: ScalingRecommendation["robustness"]): string {
  const rule = `Margin: on each perturbed replay (${r.replays.join(", ")}) the recommendation may miss the SLO in at most ${r.toleranceMinutes} more minute${r.toleranceMinutes === 1 ? "" : "s"} than this count.`;
  const refused = r.cheapestRefused
    ? ` A cheaper profile (${r.cheapestRefused.gpuHours.toFixed(2)} GPU-h) met the SLO on the trace but was refused: on the ${r.cheapestRefused.replay} replay it missed more than the ${r.cheapestRefused.allowedMinutes} minutes allowed.`
    : "";
  if (!r.bestFixedViolationMinutes || !r.recommendedViolationMinutes) return `${rule}${refused}`;
  const list = (v: number[]) => v.map((m) => `${m}`).join(" / ");
  return `${rule} Minutes over: recommended ${list(r.recommendedViolationMinutes)}, fixed ${list(r.bestFixedViolationMinutes)}.${refused}`;
}

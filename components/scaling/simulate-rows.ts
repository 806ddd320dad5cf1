// The simulations the panel shows, as one pure step the page runs in a worker (simulate.worker.ts): the form's
// profiles (an invalid one becomes a row that says why) and the `reference` preset, on a trace, or on the
// synthetic demo hour when none is given. An hour of traffic costs about a second of CPU here, which on the main
// thread would hold the page's hydration and every click.
import { defaultServiceModel, referenceProfile, scalingProfileSchema, type ScalingProfile } from "@/lib/scaling/schema";
import type { ServiceModel } from "@/lib/scaling/schema";
import { simulateProfile, type SimulationResult } from "@/lib/scaling/simulate";
import { generateSyntheticTrace } from "@/lib/scaling/synthetic-trace";
import type { Traffic } from "@/lib/scaling/traffic";
import type { SimulationRow } from "./simulation-table";

export const maxProfiles = 4;

export interface SimulateRowsInput {
  profiles: ScalingProfile[];
  /** null: the synthetic demo hour. */
  traffic: Traffic | null;
  service?: ServiceModel;
  sloP99Ms: number;
  /** The reference result a recommendation already holds for this trace; simulated when absent. */
  reference?: SimulationResult | null;
}

export interface SimulateRowsOutput {
  rows: SimulationRow[];
  /** The demo hour, when it was used: the page shows its size and explains profiles on it. */
  demo: Traffic | null;
}

let demoTrace: Traffic | null = null;

export function simulateRows({
  profiles,
  traffic,
  service = defaultServiceModel,
  sloP99Ms,
  reference,
}: SimulateRowsInput): SimulateRowsOutput {
  const demo = traffic ? null : (demoTrace ??= generateSyntheticTrace());
  const trace = traffic ?? demo;
  if (!trace) throw new Error("no traffic to simulate");
  const rows: SimulationRow[] = profiles.slice(0, maxProfiles).map((candidate, index) => {
    const parsed = scalingProfileSchema.safeParse(candidate);
    const label = candidate?.name || `profile ${index + 1}`;
    return parsed.success
      ? {
          key: `p${index}`,
          label,
          kind: "form",
          result: simulateProfile({ traffic: trace, profile: parsed.data, service, sloP99Ms }),
        }
      : { key: `p${index}`, label, kind: "form", error: parsed.error.issues[0]?.message ?? "invalid profile" };
  });
  rows.push({
    key: "reference",
    label: "reference (preset)",
    kind: "reference",
    result: reference ?? simulateProfile({ traffic: trace, profile: referenceProfile, service, sloP99Ms }),
  });
  return { rows, demo };
}

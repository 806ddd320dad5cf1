"use client";
// "Simulate against traffic" on the inference scaling profile form: the form's current values, as a KEDA/HPA
// profile, replayed next to the `reference` preset and the recommendation; "Use this profile" writes the
// recommendation back into the form. Mounted only when opened: the simulator runs in the browser.
import dynamic from "next/dynamic";
import { useMemo, useState } from "react";
import { useFormContext, useWatch } from "react-hook-form";
import { planInputSchema, type PlanInputDraft } from "@/lib/plans/schema";
import { planInputForKind } from "@/lib/requests/request-kinds";
import { profileFromPlanInput, profileToPlanInput } from "@/lib/scaling/profile-to-plan-input";
import type { ScalingProfile } from "@/lib/scaling/schema";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Skeleton } from "@/components/ui/skeleton";

// The panel (simulator, charts) is fetched when the section is opened, not with the request form.
const SimulationPanel = dynamic(() => import("@/components/scaling/simulation-panel").then((m) => m.SimulationPanel), {
  ssr: false,
  loading: () => <Skeleton lines={6} label="Loading the simulator" />,
});

export function ScalingSimulationSection() {
  const [open, setOpen] = useState(false);
  const [slo, setSlo] = useState(2000);
  const [note, setNote] = useState<string | null>(null);
  const { control, setValue } = useFormContext<{ input: PlanInputDraft }>();
  const input = useWatch({ control, name: "input" });
  const current = useMemo(() => {
    const parsed = planInputSchema.safeParse(planInputForKind("inference_scaling", input ?? {}));
    return parsed.success ? profileFromPlanInput(parsed.data, "this-form") : null;
  }, [input]);
  // Cluster history looks up the deployment this form describes: its inference namespace and model server.
  const historyDefaults = {
    namespace: input?.namespaces?.inference || "ml-inference",
    service: input?.model_server?.name || "model-server",
  };

  function useProfile(profile: ScalingProfile) {
    const { fields, notRepresented } = profileToPlanInput(profile);
    const options = { shouldValidate: true, shouldDirty: true } as const;
    setValue("input.scale_requirements.min_replicas", fields.scale_requirements.min_replicas, options);
    setValue("input.scale_requirements.max_replicas", fields.scale_requirements.max_replicas, options);
    setValue(
      "input.scale_requirements.target_gpu_utilization",
      fields.scale_requirements.target_gpu_utilization,
      options,
    );
    setValue("input.autoscaling.queue_depth_threshold", fields.autoscaling.queue_depth_threshold, options);
    setValue("input.autoscaling.latency_p99_ms_threshold", fields.autoscaling.latency_p99_ms_threshold, options);
    setValue("input.autoscaling.polling_interval_seconds", fields.autoscaling.polling_interval_seconds, options);
    setValue("input.autoscaling.cooldown_seconds", fields.autoscaling.cooldown_seconds, options);
    // undefined (the reference behavior) also clears a behavior an earlier recommendation put in the form.
    setValue("input.autoscaling.behavior", fields.autoscaling.behavior, options);
    const behavior = fields.autoscaling.behavior ? "its scaling behavior" : "the reference scaling behavior";
    setNote(
      `The form now holds the recommended profile (min ${fields.scale_requirements.min_replicas}, max ${fields.scale_requirements.max_replicas}, ${behavior}).${notRepresented.length ? ` Not expressible in the plan: ${notRepresented.join("; ")}.` : ""}`,
    );
  }

  return (
    <section className="card form-section" aria-labelledby="sec-simulate" data-testid="simulate-section">
      <h2 id="sec-simulate">Simulate against traffic</h2>
      <p className="help">
        See what these scaling settings would have done to an hour of traffic, next to the reference profile and the
        cheapest profile that meets your SLO.
      </p>
      {!open ? (
        <Button onClick={() => setOpen(true)}>Simulate against traffic</Button>
      ) : current === null ? (
        <div className="alert alert-warning" role="status">
          Fix the form's errors first: the simulation uses its scaling values.
        </div>
      ) : (
        <>
          <Field id="simulate-slo" label="p99 latency SLO (ms)" className="max-w-240">
            {(control) => (
              <input
                {...control}
                type="number"
                min={1}
                value={slo}
                onChange={(e) => setSlo(Math.max(1, Number(e.target.value) || 1))}
              />
            )}
          </Field>
          <SimulationPanel
            profiles={[current]}
            sloP99Ms={slo}
            onUseRecommended={useProfile}
            historyDefaults={historyDefaults}
          />
          {note && (
            <div className="alert alert-info" role="status" data-testid="used-recommendation">
              {note}
            </div>
          )}
        </>
      )}
    </section>
  );
}

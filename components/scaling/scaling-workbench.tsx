"use client";
// The Scaling page: edit up to three autoscaling profiles, replay traffic through them next to the `reference`
// preset and the recommendation, and turn any profile into a pre-filled inference scaling profile request.
import { useState } from "react";
import { referenceProfile, scalingProfileSchema, type ScalingProfile, type TriggerType } from "@/lib/scaling/schema";
import { profileToPlanInput } from "@/lib/scaling/profile-to-plan-input";
import { requestFormHref } from "@/lib/requests/draft-link";
import { SimulationPanel } from "./simulation-panel";
import { Button, buttonClass } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { metricDefinition } from "@/lib/scaling/metric-definitions";

type Editable = {
  name: string;
  minReplicas: number;
  maxReplicas: number;
  queue: number;
  gpu: number;
  latency: number;
  // The leading-indicator triggers are optional: null leaves the trigger out of the profile.
  concurrency: number | null;
  arrivalRate: number | null;
  kvCache: number | null;
  scaleDownWindow: number;
};

type OptionalKey = "concurrency" | "arrivalRate" | "kvCache";

// The page simulates a vLLM deployment (the demo service model), so each field names the series vLLM exports.
const optionalFields: {
  key: OptionalKey;
  type: TriggerType;
  label: string;
  help: string;
  step: number;
  max: number;
}[] = [
  {
    key: "concurrency",
    type: "concurrency_per_replica",
    label: "Concurrency / replica",
    help: "Requests running and waiting per replica that trigger scale-up",
    step: 1,
    max: 100000,
  },
  {
    key: "arrivalRate",
    type: "arrival_rate_per_replica",
    label: "Request rate / replica",
    help: "Requests completed per second per replica that trigger scale-up",
    step: 0.1,
    max: 100000,
  },
  {
    key: "kvCache",
    type: "kv_cache_usage_percent",
    label: "KV-cache use %",
    help: "Average KV-cache use over ready replicas that triggers scale-up",
    step: 1,
    max: 100,
  },
];

const fromProfile = (p: ScalingProfile, name: string): Editable => ({
  name,
  minReplicas: p.minReplicas,
  maxReplicas: p.maxReplicas,
  queue: p.triggers.find((t) => t.type === "queue_depth")?.threshold ?? 100,
  gpu: p.triggers.find((t) => t.type === "gpu_utilization")?.threshold ?? 80,
  latency: p.triggers.find((t) => t.type === "p99_latency_ms")?.threshold ?? 2000,
  concurrency: p.triggers.find((t) => t.type === "concurrency_per_replica")?.threshold ?? null,
  arrivalRate: p.triggers.find((t) => t.type === "arrival_rate_per_replica")?.threshold ?? null,
  kvCache: p.triggers.find((t) => t.type === "kv_cache_usage_percent")?.threshold ?? null,
  scaleDownWindow: p.behavior?.scaleDown?.stabilizationWindowSeconds ?? 300,
});

function toProfile(e: Editable): ScalingProfile {
  const triggers: { type: TriggerType; threshold: number }[] = [
    { type: "queue_depth", threshold: e.queue },
    { type: "gpu_utilization", threshold: e.gpu },
    { type: "p99_latency_ms", threshold: e.latency },
    ...optionalFields.flatMap(({ key, type }) => {
      const threshold = e[key];
      return threshold === null ? [] : [{ type, threshold }];
    }),
  ];
  return {
    ...referenceProfile,
    name: e.name,
    minReplicas: e.minReplicas,
    maxReplicas: e.maxReplicas,
    triggers,
    behavior: {
      ...referenceProfile.behavior,
      scaleDown: { ...referenceProfile.behavior?.scaleDown, stabilizationWindowSeconds: e.scaleDownWindow },
    },
  } as ScalingProfile;
}

export function requestLinkFor(profile: ScalingProfile): string {
  const { fields } = profileToPlanInput(profile);
  return requestFormHref({ workload_type: "inference", ...fields }, "inference_scaling");
}

const numberFields: {
  key: Exclude<keyof Editable, "name" | OptionalKey>;
  label: string;
  help: string;
  min: number;
  max: number;
}[] = [
  { key: "minReplicas", label: "Min replicas", help: "Floor kept warm (0 scales to zero)", min: 0, max: 1000 },
  { key: "maxReplicas", label: "Max replicas", help: "Ceiling; also caps GPU spend", min: 1, max: 1000 },
  {
    key: "queue",
    label: "Queue depth / replica",
    help: "Waiting requests per replica that trigger scale-up",
    min: 1,
    max: 100000,
  },
  { key: "gpu", label: "GPU utilization %", help: "Average utilization target over ready replicas", min: 1, max: 100 },
  { key: "latency", label: "p99 latency ms", help: "Time to first token that triggers scale-up", min: 1, max: 600000 },
  {
    key: "scaleDownWindow",
    label: "Scale-down window s",
    help: "Stabilization before removing replicas",
    min: 0,
    max: 3600,
  },
];

export function ScalingWorkbench({ canRequest }: { canRequest: boolean }) {
  const [slo, setSlo] = useState(2000);
  const [profiles, setProfiles] = useState<Editable[]>([
    { ...fromProfile(referenceProfile, "my-profile"), minReplicas: 2, maxReplicas: 20, latency: 2000 },
  ]);
  const [chosen, setChosen] = useState<ScalingProfile | null>(null);

  const update = (index: number, patch: Partial<Editable>) =>
    setProfiles((all) => all.map((p, i) => (i === index ? { ...p, ...patch } : p)));

  return (
    <div className="grid gap-20">
      <section className="card" aria-labelledby="profiles-heading">
        <div className="row">
          <h2 className="flush" id="profiles-heading">
            Profiles to compare
          </h2>
          <span className="spacer" />
          <label className="flush" htmlFor="slo">
            p99 SLO (ms)
          </label>
          <input
            className="w-110"
            id="slo"
            type="number"
            min={1}
            value={slo}
            onChange={(e) => setSlo(Math.max(1, Number(e.target.value) || 1))}

            aria-describedby="slo-help"
          />
          <span id="slo-help" className="help">
            Minutes above it count as violations.
          </span>
        </div>
        {profiles.map((p, index) => {
          const parsed = scalingProfileSchema.safeParse(toProfile(p));
          return (
            <fieldset className="panel-box mt-12" key={index}>
              <legend>Profile {index + 1}</legend>
              <div className="grid grid-4">
                <Field label="Name">
                  {(control) => (
                    <input {...control} value={p.name} onChange={(e) => update(index, { name: e.target.value })} />
                  )}
                </Field>
                {numberFields.map((f) => (
                  <Field key={f.key} label={f.label} hint={f.help}>
                    {(control) => (
                      <input
                        {...control}
                        type="number"
                        min={f.min}
                        max={f.max}
                        value={p[f.key]}
                        onChange={(e) => update(index, { [f.key]: Number(e.target.value) })}
                      />
                    )}
                  </Field>
                ))}
                {optionalFields.map((f) => (
                  <Field
                    key={f.key}
                    label={f.label}
                    hint={
                      <>
                        {f.help}; empty: no such trigger. Reads{" "}
                        <span data-testid={`metric-${f.key}-${index}`}>
                          {metricDefinition(f.type, "vllm").series.join(" + ")}
                        </span>
                        .
                      </>
                    }
                  >
                    {(control) => (
                      <input
                        {...control}
                        type="number"
                        min={0}
                        step={f.step}
                        max={f.max}
                        placeholder="off"
                        value={p[f.key] ?? ""}
                        onChange={(e) =>
                          update(index, { [f.key]: e.target.value === "" ? null : Number(e.target.value) })
                        }
                      />
                    )}
                  </Field>
                ))}
              </div>
              {!parsed.success && (
                <div className="field-error" role="alert">
                  {parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}
                </div>
              )}
              <div className="row">
                {profiles.length > 1 && (
                  <Button onClick={() => setProfiles((all) => all.filter((_, i) => i !== index))}>Remove</Button>
                )}
                {canRequest && parsed.success && (
                  <a className={buttonClass()} href={requestLinkFor(parsed.data)}>
                    Request this profile
                  </a>
                )}
              </div>
            </fieldset>
          );
        })}
        {profiles.length < 3 && (
          <p>
            <Button
              onClick={() =>
                setProfiles((all) => [...all, { ...all[all.length - 1]!, name: `profile-${all.length + 1}` }])
              }
            >
              Add a profile to compare
            </Button>
          </p>
        )}
      </section>
      <SimulationPanel profiles={profiles.map(toProfile)} sloP99Ms={slo} onUseRecommended={(p) => setChosen(p)} />
      {chosen && (
        <div className="alert alert-info" role="status" data-testid="chosen-profile">
          Recommended: min {chosen.minReplicas}, max {chosen.maxReplicas}, triggers{" "}
          {chosen.triggers.map((t) => `${t.type} ${t.threshold}`).join(", ")}.{" "}
          {canRequest ? (
            <a href={requestLinkFor(chosen)}>Open it as an inference scaling profile request</a>
          ) : (
            "Ask an ML engineer to request it."
          )}
        </div>
      )}
    </div>
  );
}

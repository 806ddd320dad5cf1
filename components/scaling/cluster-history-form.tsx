"use client";
// "Cluster history": the deployment's request rate per minute over the last hours, from the Prometheus an admin
// configured in Settings (GET /api/v1/scaling/request-rate-history), handed to the simulator as traffic. A
// field the server refuses shows its message under that field and takes the focus.
import { useId, useRef, useState, type FormEvent } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiClient } from "@/lib/client/hooks";
import type { Traffic } from "@/lib/scaling/traffic";
import { trafficFromRateSeries } from "@/lib/scaling/traffic";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export interface ClusterHistoryDefaults {
  namespace: string;
  service: string;
}

type FieldName = "namespace" | "service" | "hours";
const fieldNames: Record<FieldName, true> = { namespace: true, service: true, hours: true };
const hourChoices = [1, 3, 6, 24, 72, 168];

export function ClusterHistoryForm({
  defaults,
  onLoaded,
}: {
  defaults: ClusterHistoryDefaults;
  onLoaded: (name: string, traffic: Traffic) => void;
}) {
  const id = useId();
  const [namespace, setNamespace] = useState(defaults.namespace);
  const [service, setService] = useState(defaults.service);
  const [hours, setHours] = useState(1);
  const [loading, setLoading] = useState(false);
  const client = useApiClient();
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const namespaceInput = useRef<HTMLInputElement>(null);
  const serviceInput = useRef<HTMLInputElement>(null);
  const hoursInput = useRef<HTMLSelectElement>(null);

  async function load(event: FormEvent) {
    event.preventDefault();
    setLoading(true);
    setError(null);
    setFieldErrors({});
    // Loaded on request, once per submit: its answer goes to the simulator, not into a cached query.
    const result = await client
      .call(api.scaling.requestRateHistory, {
        query: { namespace: namespace.trim(), service: service.trim(), hours },
      })
      .then(
        (data) => ({ data, error: null }),
        (e: unknown) => ({ data: null, error: asApiError(e) }),
      );
    setLoading(false);
    if (!result.data) {
      const fields: Partial<Record<FieldName, string>> = {};
      for (const f of result.error?.fields ?? []) if (f.path in fieldNames) fields[f.path as FieldName] = f.message;
      setFieldErrors(fields);
      setError(result.error?.message ?? "The history could not be loaded: try again.");
      const first = (Object.keys(fields) as FieldName[])[0];
      if (first) ({ namespace: namespaceInput, service: serviceInput, hours: hoursInput })[first].current?.focus();
      return;
    }
    const history = result.data;
    const from = new Date(history.start).toISOString().slice(0, 16).replace("T", " ");
    onLoaded(
      `${history.namespace}/${history.service}, ${hours} h from ${from} UTC`,
      trafficFromRateSeries(history.points),
    );
  }

  return (
    <form
      onSubmit={load}
      className="row row items-end"

      aria-label="Load cluster history"
      noValidate
    >
      <Field id={`${id}-namespace`} label="Namespace" error={fieldErrors.namespace}>
        {(control) => (
          <input {...control} ref={namespaceInput} value={namespace} onChange={(e) => setNamespace(e.target.value)} />
        )}
      </Field>
      <Field id={`${id}-service`} label="Service" error={fieldErrors.service}>
        {(control) => (
          <input {...control} ref={serviceInput} value={service} onChange={(e) => setService(e.target.value)} />
        )}
      </Field>
      <Field id={`${id}-hours`} label="Last" error={fieldErrors.hours}>
        {(control) => (
          <select {...control} ref={hoursInput} value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {hourChoices.map((h) => (
              <option key={h} value={h}>
                {h < 24 ? `${h} h` : `${h / 24} d`}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Button type="submit" disabled={loading} aria-busy={loading}>
        {loading ? "Loading history…" : "Load cluster history"}
      </Button>
      {error && (
        <div role="alert" className="alert alert-danger basis-full">
          {error}
        </div>
      )}
    </form>
  );
}

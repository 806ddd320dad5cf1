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

export interface ClusterHistoryDefaults {
  namespace: string;
  service: string;
}

type Field = "namespace" | "service" | "hours";
const fieldNames: Record<Field, true> = { namespace: true, service: true, hours: true };
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
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
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
      const fields: Partial<Record<Field, string>> = {};
      for (const f of result.error?.fields ?? []) if (f.path in fieldNames) fields[f.path as Field] = f.message;
      setFieldErrors(fields);
      setError(result.error?.message ?? "The history could not be loaded: try again.");
      const first = (Object.keys(fields) as Field[])[0];
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

  const describedBy = (field: Field) => (fieldErrors[field] ? `${id}-${field}-error` : undefined);
  return (
    <form
      onSubmit={load}
      className="row row items-end"

      aria-label="Load cluster history"
      noValidate
    >
      <div className="field">
        <label htmlFor={`${id}-namespace`}>Namespace</label>
        <input
          id={`${id}-namespace`}
          ref={namespaceInput}
          value={namespace}
          onChange={(e) => setNamespace(e.target.value)}
          aria-invalid={Boolean(fieldErrors.namespace)}
          aria-describedby={describedBy("namespace")}
        />
        {fieldErrors.namespace && (
          <div id={`${id}-namespace-error`} className="field-error">
            {fieldErrors.namespace}
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-service`}>Service</label>
        <input
          id={`${id}-service`}
          ref={serviceInput}
          value={service}
          onChange={(e) => setService(e.target.value)}
          aria-invalid={Boolean(fieldErrors.service)}
          aria-describedby={describedBy("service")}
        />
        {fieldErrors.service && (
          <div id={`${id}-service-error`} className="field-error">
            {fieldErrors.service}
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-hours`}>Last</label>
        <select
          id={`${id}-hours`}
          ref={hoursInput}
          value={hours}
          onChange={(e) => setHours(Number(e.target.value))}
          aria-invalid={Boolean(fieldErrors.hours)}
          aria-describedby={describedBy("hours")}
        >
          {hourChoices.map((h) => (
            <option key={h} value={h}>
              {h < 24 ? `${h} h` : `${h / 24} d`}
            </option>
          ))}
        </select>
        {fieldErrors.hours && (
          <div id={`${id}-hours-error`} className="field-error">
            {fieldErrors.hours}
          </div>
        )}
      </div>
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

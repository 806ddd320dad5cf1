"use client";
// Copy a plan under a new key, or save an edit as a new version. Steps are edited as typed JSON (the server
// validates them with the plan schema and answers with field paths, shown next to the form).
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { DrPlan } from "@/lib/dr/schema";
import type { ArgsOf } from "@/lib/client/api-client";
import { asApiError, type FieldError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Button } from "@/components/ui/button";
import { Choice, Field, FieldSet } from "@/components/ui/field";

type EditBody = ArgsOf<typeof api.drPlans.edit>["body"];

/** The call's answer, or its error as the form shows it (the server validates steps and names each field). */
async function settle<T>(
  call: Promise<T>,
): Promise<{ ok: true; json: T } | { ok: false; message: string; fields: FieldError[] }> {
  try {
    return { ok: true, json: await call };
  } catch (e) {
    const error = asApiError(e);
    return { ok: false, message: error.message, fields: [...error.fields] };
  }
}

function Errors({ message, fields }: { message: string | null; fields: FieldError[] }) {
  if (!message) return null;
  return (
    <div className="alert alert-danger" role="alert">
      {message}
      {fields.length > 0 && (
        <ul>
          {fields.map((f) => (
            <li key={f.path + f.message}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

type FormKey =
  | "name"
  | "description"
  | "rtoMinutes"
  | "rpoMinutes"
  | "allowRestoreWarnings"
  | "schedule"
  | "clusterTargetId"
  | "namespaces"
  | "steps"
  | "changeNote"
  | "newKey";

const formKeyOfApiField: Record<string, FormKey> = {
  name: "name",
  description: "description",
  rtoMinutes: "rtoMinutes",
  rpoMinutes: "rpoMinutes",
  allowRestoreWarnings: "allowRestoreWarnings",
  schedule: "schedule",
  "scope.clusterTargetId": "clusterTargetId",
  "scope.namespaces": "namespaces",
  steps: "steps",
  changeNote: "changeNote",
  newKey: "newKey",
};

/**
 * The server's field messages on the form's fields: "scope.namespaces.1" is the namespaces input; a step's message
 * keeps its path inside the steps ("2.timeoutSeconds: …") since the steps are one JSON text.
 */
export function planFieldErrors(fields: readonly FieldError[]): Partial<Record<FormKey, string>> {
  const out: Partial<Record<FormKey, string>> = {};
  for (const f of fields) {
    const path = f.path.replace(/^body\.?/, "");
    const match = Object.entries(formKeyOfApiField).find(([k]) => path === k || path.startsWith(`${k}.`));
    if (!match) continue;
    const [apiField, key] = match;
    const rest = path.slice(apiField.length + 1);
    out[key] ??= key === "steps" && rest ? `${rest}: ${f.message}` : f.message;
  }
  return out;
}

export function PlanEditor({
  plan,
  version,
  clusters,
  stepTypes,
}: {
  plan: DrPlan;
  version: number;
  clusters: Array<{ id: string; name: string }>;
  stepTypes: string[];
}) {
  const router = useRouter();
  const edit = useApiMutation(api.drPlans.edit, { invalidates: [api.drPlans.list, api.drPlans.get] });
  const copyPlan = useApiMutation(api.drPlans.copy, { invalidates: [api.drPlans.list] });
  const id = useId();
  const [copyKey, setCopyKey] = useState(`${plan.key}_copy`);
  const [form, setForm] = useState({
    name: plan.name,
    description: plan.description,
    rtoMinutes: String(plan.rtoMinutes),
    rpoMinutes: String(plan.rpoMinutes),
    allowRestoreWarnings: plan.allowRestoreWarnings,
    schedule: plan.schedule ?? "",
    clusterTargetId: plan.scope.clusterTargetId ?? "",
    namespaces: plan.scope.namespaces.join(", "),
    steps: JSON.stringify(plan.steps, null, 2),
    changeNote: "",
  });
  const [error, setError] = useState<{ message: string | null; fields: FieldError[] }>({ message: null, fields: [] });
  const [saved, setSaved] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  async function save() {
    setSaved(null);
    let steps: unknown;
    try {
      steps = JSON.parse(form.steps);
    } catch (e) {
      return setError({ message: `steps is not valid JSON: ${(e as Error).message}`, fields: [] });
    }
    const body = {
      name: form.name,
      description: form.description,
      rtoMinutes: Number(form.rtoMinutes),
      rpoMinutes: Number(form.rpoMinutes),
      allowRestoreWarnings: form.allowRestoreWarnings,
      schedule: form.schedule.trim() || null,
      scope: {
        clusterTargetId: form.clusterTargetId || null,
        namespaces: form.namespaces
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      },
      steps,
      changeNote: form.changeNote,
    };
    // steps is the JSON as typed: the server checks it against the plan schema and names each wrong field.
    const result = await settle(edit.mutateAsync({ path: { key: plan.key }, body: body as EditBody }));
    if (!result.ok) return setError(result);
    setError({ message: null, fields: [] });
    setSaved(`Saved as version ${result.json.version}. Runs keep the version they used.`);
    router.refresh();
  }

  async function copy() {
    const result = await settle(copyPlan.mutateAsync({ path: { key: plan.key }, body: { newKey: copyKey } }));
    if (!result.ok) return setError(result);
    router.push(`/drills/plans/${result.json.key}`);
  }

  const fieldErrors = planFieldErrors(error.fields);
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 className="flush-top" id={`${id}-h`}>
        Edit (saves version {version + 1}) or copy
      </h2>
      <Errors {...error} />
      {saved && (
        <p className="alert alert-info" role="status">
          {saved}
        </p>
      )}
      <div className="grid grid-2">
        <div>
          <Field label="Name" error={fieldErrors.name}>
            {(control) => <input {...control} value={form.name} onChange={set("name")} />}
          </Field>
          <Field label="Description" error={fieldErrors.description}>
            {(control) => <textarea {...control} rows={2} value={form.description} onChange={set("description")} />}
          </Field>
          <div className="row">
            <Field label="RTO target (min)" error={fieldErrors.rtoMinutes}>
              {(control) => (
                <input {...control} type="number" min={1} value={form.rtoMinutes} onChange={set("rtoMinutes")} />
              )}
            </Field>
            <Field label="RPO target (min)" error={fieldErrors.rpoMinutes}>
              {(control) => (
                <input {...control} type="number" min={1} value={form.rpoMinutes} onChange={set("rpoMinutes")} />
              )}
            </Field>
          </div>
          <Field label="Cluster" error={fieldErrors.clusterTargetId}>
            {(control) => (
              <select {...control} value={form.clusterTargetId} onChange={set("clusterTargetId")}>
                <option value="">chosen per run</option>
                {clusters.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Namespaces"
            hint="Comma-separated. Health checks fetch only hosts and ports on the URL allow-list, which a platform admin keeps in Settings."
            error={fieldErrors.namespaces}
          >
            {(control) => <input {...control} value={form.namespaces} onChange={set("namespaces")} />}
          </Field>
          <Field label="Schedule" hint="Cron, in UTC; empty for none." error={fieldErrors.schedule}>
            {(control) => (
              <input {...control} value={form.schedule} onChange={set("schedule")} placeholder="0 3 * * 1" />
            )}
          </Field>
          <FieldSet legend="Restores" error={fieldErrors.allowRestoreWarnings} className="fieldset-bare">
            <Choice
              label="Accept restores that end with warnings or errors"
              checked={form.allowRestoreWarnings}
              onChange={(e) => setForm((f) => ({ ...f, allowRestoreWarnings: e.target.checked }))}
              type="checkbox"
            />
          </FieldSet>
        </div>
        <div>
          <Field
            label="Steps (typed JSON)"
            hint={
              <>
                Step types: {stepTypes.join(", ")}. Each needs name and timeoutSeconds; optional validation and
                rollback. Nothing is ever run as a shell command.
              </>
            }
            error={fieldErrors.steps}
          >
            {(control) => (
              <textarea
                {...control}
                className="mono text-small"
                rows={18}
                value={form.steps}
                onChange={set("steps")}
                spellCheck={false}
              />
            )}
          </Field>
          <Field label="Change note" error={fieldErrors.changeNote}>
            {(control) => <input {...control} value={form.changeNote} onChange={set("changeNote")} />}
          </Field>
          <Button variant="primary" onClick={save}>
            Save new version
          </Button>
        </div>
      </div>
      <div className="row items-end mt-12">
        <Field label="Copy as" className="flush max-w-240" error={fieldErrors.newKey}>
          {(control) => <input {...control} value={copyKey} onChange={(e) => setCopyKey(e.target.value)} />}
        </Field>
        <Button onClick={copy}>Copy plan</Button>
      </div>
    </section>
  );
}

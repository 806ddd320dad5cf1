"use client";
// Teams: each with its cost label values (the pod `team` label / AWS team tag values that are its costs besides its
// slug) and monthly GPU budget, edited row by row, and a form to create one. Errors land on the field they name and
// the first one gets the focus; nothing typed is lost on an error.
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import type { ArgsOf } from "@/lib/client/api-client";
import type { TeamRow } from "@/lib/people/people-rows";

type TeamCreateBody = ArgsOf<typeof api.teams.create>["body"];
import {
  errorsByField,
  formValuesOf,
  teamBody,
  teamFields,
  type TeamField,
  type TeamFormErrors,
  type TeamFormValues,
} from "./team-form-model";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

const labels: Record<TeamField, string> = {
  slug: "Slug",
  name: "Name",
  costLabelValues: "Cost label values",
  monthlyBudgetUsd: "Monthly budget (USD)",
};
const help: Partial<Record<TeamField, string>> = {
  slug: "Lower-case letters, digits and -. It is the team's cost label value and never changes.",
  costLabelValues: "Other values of the team label or tag whose costs are this team's, separated by commas.",
  monthlyBudgetUsd: "Empty for no budget.",
};

function TeamForm({
  mode,
  initial,
  teamId,
  onSaved,
}: {
  mode: "create" | "edit";
  initial: TeamFormValues;
  teamId?: string;
  onSaved: (text: string) => void;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<TeamFormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = useApiMutation(api.teams.create, { invalidates: [api.teams.list] });
  const update = useApiMutation(api.teams.update, { invalidates: [api.teams.list] });
  const refs = useRef<Partial<Record<TeamField, HTMLInputElement | null>>>({});
  const shown = mode === "create" ? teamFields : teamFields.filter((f) => f !== "slug");

  function show(next: TeamFormErrors) {
    setErrors(next);
    const first = shown.find((f) => next[f]);
    if (first) refs.current[first]?.focus();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFailure(null);
    const checked = teamBody(values, mode);
    if (!checked.ok) return show(checked.errors);
    setBusy(true);
    // teamBody has checked every field; the server parses the body again and names any field it refuses.
    const body = checked.body as TeamCreateBody;
    let saved: TeamRow;
    try {
      saved =
        mode === "create"
          ? await create.mutateAsync({ body })
          : await update.mutateAsync({ path: { id: teamId ?? "" }, body });
    } catch (e) {
      setBusy(false);
      const error = asApiError(e);
      const byField = errorsByField([...error.fields], values);
      if (Object.keys(byField).length) show(byField);
      setFailure(error.message);
      return;
    }
    setBusy(false);
    show({});
    if (mode === "create") setValues({ slug: "", name: "", costLabelValues: "", monthlyBudgetUsd: "" });
    onSaved(mode === "create" ? `Team ${saved.slug} created.` : `Team ${saved.slug} saved.`);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={mode === "create" ? "Create a team" : `Edit team ${initial.slug}`}
      data-testid={mode === "create" ? "create-team-form" : "edit-team-form"}
      data-team={initial.slug || undefined}
    >
      <div className="grid grid-2">
        {shown.map((field) => (
          <Field key={field} label={labels[field]} hint={help[field]} error={errors[field]}>
            {(control) => (
              <input
                {...control}
                ref={(el) => {
                  refs.current[field] = el;
                }}
                type="text"
                inputMode={field === "monthlyBudgetUsd" ? "decimal" : undefined}
                value={values[field]}
                onChange={(e) => setValues({ ...values, [field]: e.target.value })}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
        ))}
      </div>
      {failure && (
        <div className="alert alert-danger" role="alert">
          {failure}
        </div>
      )}
      <Button type="submit" variant="primary" disabled={busy}>
        {busy ? "Saving…" : mode === "create" ? "Create team" : "Save team"}
      </Button>
    </form>
  );
}

export function TeamsSection({ teams }: { teams: TeamRow[] }) {
  const router = useRouter();
  const [status, setStatus] = useState<string | null>(null);
  const saved = (text: string) => {
    setStatus(text);
    router.refresh();
  };
  return (
    <section className="card" aria-labelledby="teams-title" data-testid="teams">
      <h2 className="flush-top" id="teams-title">
        Teams
      </h2>
      {status && (
        <div className="alert alert-info" role="status" data-testid="teams-message">
          {status}
        </div>
      )}
      {teams.length === 0 ? (
        <p className="empty">No teams yet: create the first one below.</p>
      ) : (
        <ul className="list-bare">
          {teams.map((t) => (
            <li className="divided-item" key={t.id} data-testid="team-row" data-team={t.slug}>
              <details>
                <summary>
                  <strong>{t.name}</strong> <code>{t.slug}</code> · {t.members} member{t.members === 1 ? "" : "s"} ·{" "}
                  {t.monthlyBudgetUsd === null ? "no budget" : `$${t.monthlyBudgetUsd.toLocaleString("en-US")} a month`}
                  {t.costLabelValues.length > 0 && <> · also labelled {t.costLabelValues.join(", ")}</>}
                </summary>
                <TeamForm mode="edit" teamId={t.id} initial={formValuesOf(t)} onSaved={saved} />
              </details>
            </li>
          ))}
        </ul>
      )}
      <h3 className="h3">Create a team</h3>
      <TeamForm
        mode="create"
        initial={{ slug: "", name: "", costLabelValues: "", monthlyBudgetUsd: "" }}
        onSaved={saved}
      />
    </section>
  );
}

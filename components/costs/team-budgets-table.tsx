"use client";
// Each team's monthly GPU budget, edited and saved row by row (empty removes the budget); errors stay in the row.
import { useId, useRef, useState, type FormEvent } from "react";
import type { ResultOf } from "@/lib/client/api-client";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { usd0 } from "./format";
import { formatBudgetInput, parseBudgetInput } from "./settings-form-model";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export type TeamBudget = ResultOf<typeof api.costs.setBudget>;

export function TeamBudgetsTable({ teams }: { teams: TeamBudget[] }) {
  return (
    <section className="card" aria-labelledby="budgets-title" data-testid="team-budgets">
      <h2 className="flush-top" id="budgets-title">
        Team budgets
      </h2>
      <p className="help flush-top">
        Monthly GPU budget in US dollars. The cost pages warn when a team&apos;s forecast exceeds it. Leave empty for no
        budget.
      </p>
      {teams.length === 0 ? (
        <p className="empty">No teams yet: teams appear here once they exist.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Table, scrolls sideways on narrow screens">
          <table className="table">
            <caption className="visually-hidden">Monthly budget per team</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Current budget</th>
                <th scope="col">New budget (USD / month)</th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <BudgetRow key={t.slug} team={t} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BudgetRow({ team }: { team: TeamBudget }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(formatBudgetInput(team.monthlyBudgetUsd));
  const [saved, setSaved] = useState(team.monthlyBudgetUsd);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setBudget = useApiMutation(api.costs.setBudget, { invalidates: [api.costs.budgets, api.costs.summary] });

  function fail(message: string) {
    setError(message);
    input.current?.focus();
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setStatus(null);
    const parsed = parseBudgetInput(text);
    if (!parsed.ok) return fail(parsed.message);
    setError(null);
    setBusy(true);
    try {
      const data = await setBudget.mutateAsync({ body: { team: team.slug, monthlyBudgetUsd: parsed.value } });
      setSaved(data.monthlyBudgetUsd);
      setText(formatBudgetInput(data.monthlyBudgetUsd));
      setStatus(
        data.monthlyBudgetUsd === null ? "Saved: no budget." : `Saved: ${usd0(data.monthlyBudgetUsd)} a month.`,
      );
    } catch (e) {
      const error = asApiError(e);
      fail(error.fieldMessages().monthlyBudgetUsd ?? error.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr data-testid="budget-row" data-team={team.slug}>
      <th scope="row">
        {team.name}{" "}
        <div className="help">
          <code>{team.slug}</code>
        </div>
      </th>
      <td data-testid="budget-current">{saved === null ? <span className="help">none</span> : usd0(saved)}</td>
      <td>
        <form
          className="row row-tight flex-nowrap"

          onSubmit={save}
          noValidate
          aria-label={`Budget of ${team.name}`}
        >
          <Field
            id={`${id}-input`}
            label={`Monthly budget of ${team.name} (USD)`}
            labelHidden
            error={error}
            announceError
            className="flush"
          >
            {(control) => (
              <input
                {...control}
                // A flex row shrinks its input below the budget's digits at 1,024 px otherwise.
                className="max-w-160 min-w-100"
                ref={input}
                type="text"
                inputMode="decimal"
                placeholder="no budget"
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setStatus(null);
                }}
              />
            )}
          </Field>
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Save"}
          </Button>
        </form>
        {status && (
          <div className="help" role="status">
            {status}
          </div>
        )}
      </td>
    </tr>
  );
}

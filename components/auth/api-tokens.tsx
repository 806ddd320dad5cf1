"use client";
// API tokens: the caller's tokens (name, scopes, created, expires, last used), a form that creates one and shows its
// secret once with a copy button, and revoke. Platform admins may also create a service token for a team.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Choice, Field, FieldSet } from "@/components/ui/field";
import { ListAndCreate, SecretNotice } from "@/components/ui/list-and-create";
import { MAX_TOKEN_DAYS, scopes, type Scope, type TokenView } from "@/lib/auth/api-token";

interface Props {
  tokens: readonly TokenView[];
  /** Teams a platform admin may create service tokens for; empty for everyone else. */
  teams: readonly { id: string; name: string }[];
  now: string;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "never");

function stateOf(token: TokenView, now: string): string {
  if (token.revokedAt) return "revoked";
  return token.expiresAt <= now ? "expired" : "active";
}

export function ApiTokens({ tokens, teams, now }: Props) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<Scope[]>(["requests:read", "requests:write"]);
  const [days, setDays] = useState("90");
  const [teamId, setTeamId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const create = useApiMutation(api.tokens.create, { invalidates: [api.tokens.list] });
  const revoke = useApiMutation(api.tokens.revoke, { invalidates: [api.tokens.list] });

  async function onCreate(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    setBusy(true);
    let result: { token: TokenView; secret: string };
    try {
      result = await create.mutateAsync({
        body: { name, scopes: chosen, expiresInDays: Number(days), ...(teamId ? { teamId } : {}) },
      });
    } catch (e) {
      setBusy(false);
      return setError(asApiError(e).message);
    }
    setBusy(false);
    setCreated({ name: result.token.name, secret: result.secret });
    setName("");
    router.refresh();
  }

  async function onRevoke(token: TokenView) {
    setError(null);
    try {
      await revoke.mutateAsync({ path: { id: token.id } });
    } catch (e) {
      const status = asApiError(e).status;
      return setError(`Revoking "${token.name}" failed${status ? ` (HTTP ${status})` : ""}: try again.`);
    }
    router.refresh();
  }

  const toggle = (scope: Scope) =>
    setChosen((list) => (list.includes(scope) ? list.filter((s) => s !== scope) : [...list, scope]));

  const columns: Column<TokenView>[] = [
    {
      id: "name",
      header: "Name",
      sortValue: (t) => t.name,
      cell: (t) => (
        <>
          {t.name} <code>{t.prefix}…</code>
          {t.kind === "service" && <> (service, {t.teamName})</>}
        </>
      ),
    },
    { id: "scopes", header: "Scopes", cell: (t) => t.scopes.join(", ") },
    { id: "created", header: "Created", sortValue: (t) => t.createdAt, cell: (t) => day(t.createdAt) },
    { id: "expires", header: "Expires", sortValue: (t) => t.expiresAt, cell: (t) => day(t.expiresAt) },
    { id: "used", header: "Last used", sortValue: (t) => t.lastUsedAt ?? "", cell: (t) => day(t.lastUsedAt) },
    { id: "state", header: "State", sortValue: (t) => stateOf(t, now), cell: (t) => stateOf(t, now) },
    {
      id: "actions",
      header: "Actions",
      headerHidden: true,
      cell: (t) =>
        !t.revokedAt && (
          <Button variant="danger" size="sm" onClick={() => onRevoke(t)}>
            Revoke {t.name}
          </Button>
        ),
    },
  ];

  return (
    <div className="grid">
      {created && (
        <SecretNotice testId="new-token" secretTestId="new-token-secret" secret={created.secret}>
          Token &quot;{created.name}&quot; created. Copy it now: it is not shown again.
        </SecretNotice>
      )}
      {error && <Alert tone="danger">{error}</Alert>}

      <ListAndCreate
        listTitle="Your tokens"
        list={
          <DataTable
            columns={columns}
            rows={tokens}
            rowId={(t) => t.id}
            label="Your API tokens"
            empty="No tokens yet."
            testId="token-list"
          />
        }
        createTitle="Create a token"
        onCreate={onCreate}
        formTestId="create-token-form"
        submit={
          <Button type="submit" variant="primary" loading={busy} loadingText="Creating…">
            Create token
          </Button>
        }
      >
        <Field label="Name">
          {(control) => (
            <input
              {...control}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="ci: deploy pipeline"
            />
          )}
        </Field>
        <FieldSet legend="Scopes" hint="A token never does more than your role allows when it is used.">
          {scopes.map((scope) => (
            <Choice
              key={scope}
              type="checkbox"
              label={scope}
              checked={chosen.includes(scope)}
              onChange={() => toggle(scope)}
            />
          ))}
        </FieldSet>
        <Field label={`Expires in (days, 1 to ${MAX_TOKEN_DAYS})`}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={MAX_TOKEN_DAYS}
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
          )}
        </Field>
        {teams.length > 0 && (
          <Field label="Service token for team (leave empty for a personal token)">
            {(control) => (
              <select {...control} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
                <option value="">Personal token</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </ListAndCreate>
    </div>
  );
}

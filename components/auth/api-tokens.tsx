"use client";
// API tokens: the caller's tokens (name, scopes, created, expires, last used), a form that creates one and shows its
// secret once with a copy button, and revoke. Platform admins may also create a service token for a team.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
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
  const id = useId();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState<Scope[]>(["requests:read", "requests:write"]);
  const [days, setDays] = useState("90");
  const [teamId, setTeamId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const create = useApiMutation(api.tokens.create, { invalidates: [api.tokens.list] });
  const revoke = useApiMutation(api.tokens.revoke, { invalidates: [api.tokens.list] });

  async function onCreate(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    setCreated(null);
    setCopied(false);
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

  async function onCopy() {
    if (!created) return;
    await navigator.clipboard?.writeText(created.secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  const toggle = (scope: Scope) =>
    setChosen((list) => (list.includes(scope) ? list.filter((s) => s !== scope) : [...list, scope]));

  return (
    <div className="grid">
      {created && (
        <div className="alert alert-info" role="status" data-testid="new-token">
          <p style={{ marginTop: 0 }}>Token &quot;{created.name}&quot; created. Copy it now: it is not shown again.</p>
          <code data-testid="new-token-secret">{created.secret}</code>{" "}
          <button type="button" className="btn" onClick={onCopy}>
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      )}
      {error && (
        <div className="alert alert-danger" role="alert">
          {error}
        </div>
      )}

      <section className="card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`} style={{ marginTop: 0 }}>
          Your tokens
        </h2>
        {tokens.length === 0 ? (
          <p className="help">No tokens yet.</p>
        ) : (
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label="Table, scrolls sideways on narrow screens"
          >
            <table className="table" data-testid="token-list">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td>
                      {t.name} <code>{t.prefix}…</code>
                      {t.kind === "service" && <> (service, {t.teamName})</>}
                    </td>
                    <td>{t.scopes.join(", ")}</td>
                    <td>{day(t.createdAt)}</td>
                    <td>{day(t.expiresAt)}</td>
                    <td>{day(t.lastUsedAt)}</td>
                    <td>{stateOf(t, now)}</td>
                    <td>
                      {!t.revokedAt && (
                        <button type="button" className="btn btn-danger" onClick={() => onRevoke(t)}>
                          Revoke {t.name}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <form
        className="card"
        onSubmit={onCreate}
        noValidate
        aria-labelledby={`${id}-create`}
        data-testid="create-token-form"
      >
        <h2 id={`${id}-create`} style={{ marginTop: 0 }}>
          Create a token
        </h2>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="ci: deploy pipeline"
          />
        </div>
        <fieldset className="field">
          <legend>Scopes</legend>
          {scopes.map((scope) => (
            <label key={scope} style={{ display: "block" }}>
              <input type="checkbox" checked={chosen.includes(scope)} onChange={() => toggle(scope)} /> {scope}
            </label>
          ))}
          <div className="help">A token never does more than your role allows when it is used.</div>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-days`}>Expires in (days, 1 to {MAX_TOKEN_DAYS})</label>
          <input
            id={`${id}-days`}
            type="number"
            min={1}
            max={MAX_TOKEN_DAYS}
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </div>
        {teams.length > 0 && (
          <div className="field">
            <label htmlFor={`${id}-team`}>Service token for team (leave empty for a personal token)</label>
            <select id={`${id}-team`} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">Personal token</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
      </form>
    </div>
  );
}

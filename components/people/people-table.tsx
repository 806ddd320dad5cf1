"use client";
// Everyone who can sign in, with their role and teams and where each came from (an identity-provider group or an
// admin), and a Disable / Enable button per person. Disabling asks first: it ends the person's sessions and tokens.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { PersonRow } from "@/lib/people/people-rows";
import { Button } from "@/components/ui/button";

function SourceBadge({ source, group, what }: { source: "sso" | "manual"; group: string | null; what: string }) {
  if (source === "manual")
    return (
      <span className="badge" title={`${what} set by an admin`}>
        manual
      </span>
    );
  return (
    <span className="badge badge-info" title={`${what} comes from single sign-on and is re-decided at every sign-in`}>
      {group ? (
        <>
          SSO group <code>{group}</code>
        </>
      ) : (
        "SSO default role"
      )}
    </span>
  );
}

export function PeopleTable({ people, currentUserId }: { people: PersonRow[]; currentUserId: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState<PersonRow | null>(null);
  const [busy, setBusy] = useState(false);
  const update = useApiMutation(api.people.update, { invalidates: [api.people.list] });
  const [message, setMessage] = useState<{ tone: "info" | "danger"; text: string } | null>(null);

  async function setDisabled(person: PersonRow, disabled: boolean) {
    setBusy(true);
    const error = await update.mutateAsync({ path: { id: person.id }, body: { disabled } }).then(
      () => null,
      (e: unknown) => asApiError(e),
    );
    setBusy(false);
    setConfirming(null);
    if (error) return setMessage({ tone: "danger", text: error.message });
    setMessage({
      tone: "info",
      text: disabled
        ? `${person.email} is disabled: their sessions and API tokens stopped working.`
        : `${person.email} is enabled again: they can sign in.`,
    });
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="people-title" data-testid="people">
      <h2 className="flush-top" id="people-title">
        People
      </h2>
      <p className="help flush-top">
        A role or team marked <strong>SSO</strong> follows the person&apos;s identity-provider groups and changes at
        their next sign-in (Settings → Single sign-on groups). <strong>Manual</strong> ones were set by an admin and
        stay.
      </p>
      {message && (
        <div
          className={`alert alert-${message.tone}`}
          role={message.tone === "danger" ? "alert" : "status"}
          data-testid="people-message"
        >
          {message.text}
        </div>
      )}
      <table className="table">
        <caption className="visually-hidden">People, their roles and teams</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role</th>
            <th scope="col">Teams</th>
            <th scope="col">Last single sign-on</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id} data-testid="person-row" data-email={p.email}>
              <th scope="row">
                {p.name}
                <div className="help">
                  {p.email}
                  {p.singleSignOn && (
                    <>
                      {" "}
                      · <span title="signs in through single sign-on">SSO</span>
                    </>
                  )}
                </div>
                {p.ssoGroups.length > 0 && (
                  <div className="help" data-testid="person-groups">
                    groups: {p.ssoGroups.join(", ")}
                  </div>
                )}
              </th>
              <td data-testid="person-role">
                {p.role} <SourceBadge source={p.roleSource} group={p.roleSsoGroup} what="Role" />
              </td>
              <td data-testid="person-teams">
                {p.teams.length === 0 ? (
                  <span className="help">none</span>
                ) : (
                  <ul className="plain-list list-bare">
                    {p.teams.map((t) => (
                      <li key={t.id} data-team={t.slug}>
                        {t.name} <SourceBadge source={t.source} group={t.ssoGroup} what="Membership" />
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {p.lastSignInAt ? (
                  <time dateTime={p.lastSignInAt}>{p.lastSignInAt.slice(0, 16).replace("T", " ")} UTC</time>
                ) : (
                  <span className="help">none yet</span>
                )}
              </td>
              <td data-testid="person-status">
                {p.disabled ? (
                  <span className="badge badge-danger">disabled</span>
                ) : (
                  <span className="badge badge-success">active</span>
                )}
              </td>
              <td>
                {p.id === currentUserId ? (
                  <span className="help">you</span>
                ) : p.disabled ? (
                  <Button disabled={busy} onClick={() => setDisabled(p, false)} aria-label={`Enable ${p.email}`}>
                    Enable
                  </Button>
                ) : (
                  // Quiet on every row (a red button per person read as a list of alarms); the dialog is where the
                  // danger is stated and confirmed.
                  <Button
                    variant="ghost"
                    size="sm"
                    disabled={busy}
                    onClick={() => setConfirming(p)}
                    aria-label={`Disable ${p.email}`}
                  >
                    Disable
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={confirming !== null}
        title={`Disable ${confirming?.email ?? ""}?`}
        confirmLabel="Disable"
        danger
        busy={busy}
        onConfirm={() => confirming && setDisabled(confirming, true)}
        onCancel={() => setConfirming(null)}
      >
        <p>
          Every session and API token of this person stops working at once, and they cannot sign in (also through single
          sign-on) until an admin enables them again.
        </p>
      </ConfirmDialog>
    </section>
  );
}

"use client";
// Notification subscriptions: the list (what, where, for whom, last delivery) with Send test and Delete, and the form
// that creates one. A webhook's signing secret is shown once, right after creation, with a copy button.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { ArgsOf } from "@/lib/client/api-client";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { eventLabels, notificationEvents, type NotificationEvent } from "@/lib/notifications/events";
import type { NotificationChannelName, SubscriptionView } from "@/lib/notifications/schema";

interface Props {
  subscriptions: readonly SubscriptionView[];
  /** Teams the person may subscribe (their own; a platform admin: all). */
  teams: readonly { id: string; name: string }[];
  /** Whether the portal has an SMTP server (SMTP_URL); without it the email channel is not offered. */
  emailEnabled: boolean;
  now: string;
}

const channelLabels: Record<NotificationChannelName, string> = { webhook: "Webhook", slack: "Slack", email: "Email" };
const targetHelp: Record<NotificationChannelName, { label: string; placeholder: string; help: string }> = {
  webhook: {
    label: "Webhook URL",
    placeholder: "https://ci.example.com/hooks/ml-portal",
    help: "Receives a JSON POST signed in the X-Portal-Signature-256 header (sha256=HMAC of the body with the secret shown after you create it). Its host and port must be on the URL allow-list (Settings).",
  },
  slack: {
    label: "Slack incoming-webhook URL",
    placeholder: "https://hooks.slack.com/services/T…/B…/…",
    help: "From Slack: Apps → Incoming Webhooks → Add to a channel. An admin must allow hooks.slack.com:443 in Settings → URL allow-list.",
  },
  email: {
    label: "Email address",
    placeholder: "ml-platform@example.com",
    help: "Plain-text mail from the portal's SMTP server.",
  },
};
const defaultEvents: NotificationEvent[] = ["approval.needed", "request.apply_failed", "drift.found"];

type FieldErrors = Partial<Record<"name" | "target" | "events" | "teamId" | "channel", string>>;

// The form holds each field as typed; the server parses the body and names any field it refuses.
type CreateSubscriptionBody = ArgsOf<typeof api.notifications.subscribe>["body"];

export function NotificationSubscriptions({ subscriptions, teams, emailEnabled, now }: Props) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [teamId, setTeamId] = useState("");
  const [channel, setChannel] = useState<NotificationChannelName>("webhook");
  const [target, setTarget] = useState("");
  const [events, setEvents] = useState<NotificationEvent[]>(defaultEvents);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ tone: "danger" | "info"; text: string } | null>(null);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<SubscriptionView | null>(null);
  const current = new Date(now);
  const subscribe = useApiMutation(api.notifications.subscribe, { invalidates: [api.notifications.subscriptions] });
  const sendTest = useApiMutation(api.notifications.sendTest, { invalidates: [api.notifications.deliveries] });
  const unsubscribe = useApiMutation(api.notifications.unsubscribe, { invalidates: [api.notifications.subscriptions] });

  async function onCreate(event: React.FormEvent) {
    event.preventDefault();
    setErrors({});
    setMessage(null);
    setSecret(null);
    setCopied(false);
    setBusy(true);
    let created: { subscription: SubscriptionView; signingSecret: string | null };
    try {
      created = await subscribe.mutateAsync({
        body: { name, channel, target, events, ...(teamId ? { teamId } : {}) } as CreateSubscriptionBody,
      });
    } catch (e) {
      setBusy(false);
      const error = asApiError(e);
      const fields: FieldErrors = {};
      for (const f of error.fields) {
        const key = f.path.split(".")[0] as keyof FieldErrors;
        fields[key] ??= f.message;
      }
      setErrors(fields);
      return setMessage({ tone: "danger", text: error.message });
    }
    setBusy(false);
    if (created.signingSecret) setSecret({ name: created.subscription.name, value: created.signingSecret });
    else
      setMessage({
        tone: "info",
        text: `Subscription "${created.subscription.name}" created. Use Send test to check it.`,
      });
    setName("");
    setTarget("");
    router.refresh();
  }

  async function onTest(s: SubscriptionView) {
    setMessage(null);
    const error = await sendTest.mutateAsync({ path: { id: s.id }, body: {} }).then(
      () => null,
      (e: unknown) => asApiError(e),
    );
    if (error) return setMessage({ tone: "danger", text: error.message });
    setMessage({ tone: "info", text: `Test queued for "${s.name}": the delivery log shows how it went (Refresh).` });
    router.refresh();
  }

  async function onDelete() {
    const s = deleting;
    if (!s) return;
    setBusy(true);
    const status = await unsubscribe.mutateAsync({ path: { id: s.id } }).then(
      () => null,
      (e: unknown) => asApiError(e).status,
    );
    setBusy(false);
    setDeleting(null);
    if (status !== null)
      return setMessage({
        tone: "danger",
        text: `Deleting "${s.name}" failed${status ? ` (HTTP ${status})` : ""}: try again.`,
      });
    setMessage({ tone: "info", text: `Subscription "${s.name}" deleted.` });
    router.refresh();
  }

  async function onCopy() {
    if (!secret) return;
    await navigator.clipboard?.writeText(secret.value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }

  const toggle = (e: NotificationEvent) =>
    setEvents((list) => (list.includes(e) ? list.filter((x) => x !== e) : [...list, e]));
  const help = targetHelp[channel];
  const errorId = (field: keyof FieldErrors) => (errors[field] ? `${id}-${field}-error` : undefined);

  return (
    <div className="grid">
      {secret && (
        <div className="alert alert-info" role="status" data-testid="new-signing-secret">
          <p style={{ marginTop: 0 }}>
            Subscription &quot;{secret.name}&quot; created. Its signing secret is shown only now: give it to the
            receiver to check the X-Portal-Signature-256 header.
          </p>
          <code data-testid="signing-secret">{secret.value}</code>{" "}
          <button type="button" className="btn" onClick={onCopy}>
            {copied ? "Copied" : "Copy"}
          </button>
        </div>
      )}
      {message && (
        <div className={`alert alert-${message.tone}`} role={message.tone === "danger" ? "alert" : "status"}>
          {message.text}
        </div>
      )}

      <section className="card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`} style={{ marginTop: 0 }}>
          Subscriptions
        </h2>
        {subscriptions.length === 0 ? (
          <p className="help">
            No subscriptions yet: create one below to be told when an approval waits or an apply fails.
          </p>
        ) : (
          <table className="table" data-testid="subscription-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">For</th>
                <th scope="col">Where</th>
                <th scope="col">Events</th>
                <th scope="col">Last delivery</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{s.teamName ? `team ${s.teamName}` : s.ownerEmail}</td>
                  <td>
                    {channelLabels[s.channel]} <code>{s.target}</code>
                  </td>
                  <td>{s.events.map((e) => eventLabels[e as NotificationEvent] ?? e).join(", ")}</td>
                  <td>
                    {s.lastDelivery ? (
                      <>
                        <StatusBadge status={s.lastDelivery.status} />{" "}
                        <RelativeTime date={new Date(s.lastDelivery.at)} now={current} />
                      </>
                    ) : (
                      "none yet"
                    )}
                  </td>
                  <td className="row" style={{ gap: 8 }}>
                    <button
                      type="button"
                      className="btn"
                      onClick={() => onTest(s)}
                      aria-label={`Send test to ${s.name}`}
                    >
                      Send test
                    </button>
                    <button
                      type="button"
                      className="btn btn-danger"
                      onClick={() => setDeleting(s)}
                      aria-label={`Delete ${s.name}`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <form
        className="card"
        onSubmit={onCreate}
        noValidate
        aria-labelledby={`${id}-create`}
        data-testid="create-subscription-form"
      >
        <h2 id={`${id}-create`} style={{ marginTop: 0 }}>
          Create a subscription
        </h2>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="nlp on-call"
            aria-invalid={!!errors.name}
            aria-describedby={errorId("name")}
          />
          {errors.name && (
            <div className="field-error" id={errorId("name")}>
              {errors.name}
            </div>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-team`}>For</label>
          <select
            id={`${id}-team`}
            value={teamId}
            onChange={(e) => setTeamId(e.target.value)}
            aria-describedby={`${id}-team-help`}
          >
            <option value="">Me (events of the teams I can see)</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                Team {t.name}
              </option>
            ))}
          </select>
          <div className="help" id={`${id}-team-help`}>
            A team subscription hears about that team&apos;s requests and about portal-wide events (drills, stale cost
            data); anyone in the team can manage it.
          </div>
          {errors.teamId && <div className="field-error">{errors.teamId}</div>}
        </div>
        <fieldset className="field">
          <legend>Channel</legend>
          {(["webhook", "slack", "email"] as const).map((c) => (
            <label key={c} style={{ display: "inline-block", marginRight: 16 }}>
              <input
                type="radio"
                name={`${id}-channel`}
                value={c}
                checked={channel === c}
                disabled={c === "email" && !emailEnabled}
                onChange={() => setChannel(c)}
              />{" "}
              {channelLabels[c]}
            </label>
          ))}
          {!emailEnabled && <div className="help">Email needs an SMTP server: an operator sets SMTP_URL.</div>}
          {errors.channel && <div className="field-error">{errors.channel}</div>}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-target`}>{help.label}</label>
          <input
            id={`${id}-target`}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            placeholder={help.placeholder}
            type={channel === "email" ? "email" : "url"}
            aria-invalid={!!errors.target}
            aria-describedby={[`${id}-target-help`, errorId("target")].filter(Boolean).join(" ")}
          />
          <div className="help" id={`${id}-target-help`}>
            {help.help}
          </div>
          {errors.target && (
            <div className="field-error" id={errorId("target")}>
              {errors.target}
            </div>
          )}
        </div>
        <fieldset className="field" aria-describedby={errorId("events")}>
          <legend>Events</legend>
          {notificationEvents.map((e) => (
            <label key={e} style={{ display: "block" }}>
              <input type="checkbox" checked={events.includes(e)} onChange={() => toggle(e)} /> {eventLabels[e]}
            </label>
          ))}
          {errors.events && (
            <div className="field-error" id={errorId("events")}>
              {errors.events}
            </div>
          )}
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Creating…" : "Create subscription"}
        </button>
      </form>

      <ConfirmDialog
        open={deleting !== null}
        title={`Delete "${deleting?.name ?? ""}"?`}
        confirmLabel="Delete subscription"
        danger
        busy={busy}
        onConfirm={onDelete}
        onCancel={() => setDeleting(null)}
      >
        <p>
          {deleting
            ? `${channelLabels[deleting.channel]} ${deleting.target} stops receiving ${deleting.events.length} kind${deleting.events.length === 1 ? "" : "s"} of event, and its delivery log is deleted with it.`
            : ""}
        </p>
      </ConfirmDialog>
    </div>
  );
}

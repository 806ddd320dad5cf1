"use client";
// Notification subscriptions: the list (what, where, for whom, last delivery) with Send test and Delete, and the form
// that creates one. A webhook's signing secret is shown once, right after creation, with a copy button.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { ArgsOf } from "@/lib/client/api-client";
import { asApiError } from "@/lib/client/api-error";
import { api } from "@/lib/client/endpoints";
import { useApiMutation } from "@/lib/client/hooks";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DataTable, type Column } from "@/components/ui/data-table";
import { Choice, Field, FieldSet } from "@/components/ui/field";
import { ListAndCreate, SecretNotice } from "@/components/ui/list-and-create";
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

  const toggle = (e: NotificationEvent) =>
    setEvents((list) => (list.includes(e) ? list.filter((x) => x !== e) : [...list, e]));
  const help = targetHelp[channel];

  const columns: Column<SubscriptionView>[] = [
    { id: "name", header: "Name", sortValue: (s) => s.name, cell: (s) => s.name },
    {
      id: "for",
      header: "For",
      sortValue: (s) => (s.teamName ? `team ${s.teamName}` : (s.ownerEmail ?? "")),
      cell: (s) => (s.teamName ? `team ${s.teamName}` : s.ownerEmail),
    },
    {
      id: "where",
      header: "Where",
      sortValue: (s) => s.channel,
      cell: (s) => (
        <>
          {channelLabels[s.channel]} <code>{s.target}</code>
        </>
      ),
    },
    {
      id: "events",
      header: "Events",
      cell: (s) => s.events.map((e) => eventLabels[e as NotificationEvent] ?? e).join(", "),
    },
    {
      id: "last",
      header: "Last delivery",
      sortValue: (s) => s.lastDelivery?.at ?? "",
      cell: (s) =>
        s.lastDelivery ? (
          <>
            <StatusBadge status={s.lastDelivery.status} />{" "}
            <RelativeTime date={new Date(s.lastDelivery.at)} now={current} />
          </>
        ) : (
          "none yet"
        ),
    },
    {
      id: "actions",
      header: "Actions",
      headerHidden: true,
      cell: (s) => (
        <div className="row row-tight">
          <Button size="sm" onClick={() => onTest(s)} aria-label={`Send test to ${s.name}`}>
            Send test
          </Button>
          <Button variant="danger" size="sm" onClick={() => setDeleting(s)} aria-label={`Delete ${s.name}`}>
            Delete
          </Button>
        </div>
      ),
    },
  ];

  return (
    <div className="grid">
      {secret && (
        <SecretNotice testId="new-signing-secret" secretTestId="signing-secret" secret={secret.value}>
          Subscription &quot;{secret.name}&quot; created. Its signing secret is shown only now: give it to the receiver
          to check the X-Portal-Signature-256 header.
        </SecretNotice>
      )}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}

      <ListAndCreate
        listTitle="Subscriptions"
        list={
          <DataTable
            columns={columns}
            rows={subscriptions}
            rowId={(s) => s.id}
            label="Notification subscriptions"
            empty="No subscriptions yet: create one below to be told when an approval waits or an apply fails."
            testId="subscription-list"
          />
        }
        createTitle="Create a subscription"
        onCreate={onCreate}
        formTestId="create-subscription-form"
        submit={
          <Button type="submit" variant="primary" loading={busy} loadingText="Creating…">
            Create subscription
          </Button>
        }
      >
        <Field label="Name" error={errors.name}>
          {(control) => (
            <input {...control} value={name} onChange={(e) => setName(e.target.value)} placeholder="nlp on-call" />
          )}
        </Field>
        <Field
          label="For"
          error={errors.teamId}
          hint="A team subscription hears about that team's requests and about portal-wide events (drills, stale cost data); anyone in the team can manage it."
        >
          {(control) => (
            <select {...control} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
              <option value="">Me (events of the teams I can see)</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  Team {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FieldSet
          legend="Channel"
          error={errors.channel}
          hint={emailEnabled ? undefined : "Email needs an SMTP server: an operator sets SMTP_URL."}
        >
          {(["webhook", "slack", "email"] as const).map((c) => (
            <Choice
              key={c}
              inline
              type="radio"
              name={`${id}-channel`}
              value={c}
              label={channelLabels[c]}
              checked={channel === c}
              disabled={c === "email" && !emailEnabled}
              onChange={() => setChannel(c)}
            />
          ))}
        </FieldSet>
        <Field label={help.label} hint={help.help} error={errors.target}>
          {(control) => (
            <input
              {...control}
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              placeholder={help.placeholder}
              type={channel === "email" ? "email" : "url"}
            />
          )}
        </Field>
        <FieldSet legend="Events" error={errors.events}>
          {notificationEvents.map((e) => (
            <Choice
              key={e}
              type="checkbox"
              label={eventLabels[e]}
              checked={events.includes(e)}
              onChange={() => toggle(e)}
            />
          ))}
        </FieldSet>
      </ListAndCreate>

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

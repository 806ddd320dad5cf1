// The delivery log: one row per notification sent to one subscription, newest first, filterable by subscription and
// status, paginated on the server. Each row says what happened last and, for a retry, when the next attempt is due.
import { Pagination } from "@/components/ui/pagination";
import { Field } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { eventLabels, type NotificationEvent } from "@/lib/notifications/events";
import type { DeliveryView } from "@/lib/notifications/schema";
import { RefreshButton } from "./refresh-button";
import { Button, ButtonLink } from "@/components/ui/button";

interface Props {
  deliveries: { items: DeliveryView[]; total: number; page: number; pageSize: number };
  subscriptions: { id: string; name: string }[];
  filter: { subscriptionId?: string; status?: DeliveryView["status"] };
  now: string;
}

const statuses: DeliveryView["status"][] = ["pending", "retrying", "delivered", "failed"];

function href(filter: Props["filter"], page = 1): string {
  const params = new URLSearchParams();
  if (filter.subscriptionId) params.set("subscription", filter.subscriptionId);
  if (filter.status) params.set("status", filter.status);
  if (page > 1) params.set("page", String(page));
  const q = params.toString();
  return `/notifications${q ? `?${q}` : ""}#delivery-log`;
}

export function DeliveryLog({ deliveries, subscriptions, filter, now }: Props) {
  const current = new Date(now);
  return (
    <section className="card mt-16" aria-labelledby="delivery-log">
      <div className="row justify-between items-baseline">
        <h2 className="flush-top" id="delivery-log">
          Delivery log
        </h2>
        <RefreshButton />
      </div>
      <form
        method="get"
        action="/notifications"
        className="row items-end"

        aria-label="Filter the delivery log"
      >
        <Field id="log-subscription" label="Subscription">
          {(control) => (
            <select {...control} name="subscription" defaultValue={filter.subscriptionId ?? ""}>
              <option value="">All</option>
              {subscriptions.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="log-status" label="Status">
          {(control) => (
            <select {...control} name="status" defaultValue={filter.status ?? ""}>
              <option value="">All</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Button type="submit">Filter</Button>
        {(filter.subscriptionId || filter.status) && <ButtonLink href="/notifications#delivery-log">Clear</ButtonLink>}
      </form>
      {deliveries.items.length === 0 ? (
        <p className="help">
          {filter.subscriptionId || filter.status
            ? "No deliveries match this filter."
            : "Nothing sent yet. Use Send test on a subscription to check it end to end."}
        </p>
      ) : (
        <table className="table" data-testid="delivery-log">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Subscription</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.items.map((d) => (
              <tr key={d.id} data-delivery-id={d.id}>
                <td>
                  <strong>
                    {d.event === "test" ? "Test" : (eventLabels[d.event as NotificationEvent] ?? d.event)}
                  </strong>
                  <div className="help">{d.title}</div>
                </td>
                <td>{d.subscriptionName}</td>
                <td>
                  <StatusBadge status={d.status} />
                </td>
                <td>
                  {d.attempts} of {d.maxAttempts}
                </td>
                <td>
                  {d.lastAttemptAt ? <RelativeTime date={new Date(d.lastAttemptAt)} now={current} /> : "not yet"}
                  {d.nextAttemptAt && (
                    <div className="help">
                      next attempt <RelativeTime date={new Date(d.nextAttemptAt)} now={current} />
                    </div>
                  )}
                </td>
                <td>{d.lastError ?? (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination
        page={deliveries.page}
        pageSize={deliveries.pageSize}
        total={deliveries.total}
        href={(p) => href(filter, p)}
        noun="deliveries"
      />
    </section>
  );
}

import { requirePage } from "@/lib/auth/session.server";
import { deliveriesQuery } from "@/lib/notifications/schema";
import { listDeliveries } from "@/lib/notifications/list-deliveries.server";
import { listSubscribableTeams } from "@/lib/notifications/list-subscribable-teams.server";
import { listSubscriptions } from "@/lib/notifications/list-subscriptions.server";
import { notificationConfig } from "@/lib/notifications/notification-config.server";
import { NotificationSubscriptions } from "@/components/notifications/notification-subscriptions";
import { DeliveryLog } from "@/components/notifications/delivery-log";

export const metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const user = await requirePage("notification.manage");
  const raw = await searchParams;
  const parsed = deliveriesQuery.safeParse({
    subscriptionId: raw.subscription || undefined,
    status: raw.status || undefined,
    page: raw.page || undefined,
  });
  const query = parsed.success ? parsed.data : { page: 1 };
  const [subscriptions, deliveries, teams] = await Promise.all([
    listSubscriptions({ actor: user }),
    listDeliveries({ actor: user, query }),
    listSubscribableTeams({ actor: user }),
  ]);
  const now = new Date();
  return (
    <>
      <h1>Notifications</h1>
      <p className="subtitle">
        Tell a person or a team when something needs them: an approval waits, an apply fails, drift appears, a drill
        fails. The worker delivers each notification to a webhook (JSON, signed with HMAC-SHA256), a Slack incoming
        webhook or an email address, retries a receiver that fails (6 attempts, waiting longer each time), and logs
        every attempt below. A notification that cannot be delivered never holds up the change that raised it.
      </p>
      <NotificationSubscriptions
        subscriptions={subscriptions}
        teams={teams}
        emailEnabled={notificationConfig().smtpUrl !== null}
        now={now.toISOString()}
      />
      <DeliveryLog
        deliveries={deliveries}
        subscriptions={subscriptions.map((s) => ({ id: s.id, name: s.name }))}
        filter={{ subscriptionId: query.subscriptionId, status: query.status }}
        now={now.toISOString()}
      />
    </>
  );
}

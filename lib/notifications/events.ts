// The events a person or team can subscribe to, and the notification every channel renders. Pure.
import { z } from "zod";

export const notificationEvents = [
  "approval.needed",
  "request.applied",
  "request.apply_failed",
  "drift.found",
  "request.reverted",
  "drill.passed",
  "drill.failed",
  "budget.forecast_crossed",
  "data.stale",
] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

export const eventLabels: Record<NotificationEvent, string> = {
  "approval.needed": "Approval needed",
  "request.applied": "Request applied",
  "request.apply_failed": "Apply failed",
  "drift.found": "Drift found",
  "request.reverted": "Revert done",
  "drill.passed": "Drill passed",
  "drill.failed": "Drill failed",
  "budget.forecast_crossed": "Budget forecast crossed",
  "data.stale": "Cost data stale",
};

/** What was raised: enough for a person to act without opening the portal, plus a link to where they would. */
export const notificationSchema = z.object({
  /** Unique per raised event; a receiver can drop a repeat it has seen. */
  eventId: z.string().min(1).max(100),
  event: z.union([z.enum(notificationEvents), z.literal("test")]),
  /** The team the event concerns; null for portal-wide events (data stale) and test sends. */
  teamId: z.string().min(1).nullable(),
  title: z.string().min(1).max(300),
  summary: z.string().max(4000),
  /** Path inside the portal (/requests/…), made absolute with the portal's URL when sent. */
  path: z.string().startsWith("/").max(500).nullable(),
  occurredAt: z.string().datetime(),
  data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
});
export type Notification = z.infer<typeof notificationSchema>;
export type NotificationInput = z.input<typeof notificationSchema>;

/** The absolute link of a notification, or null. */
export function notificationLink(n: Pick<Notification, "path">, portalUrl: string): string | null {
  return n.path ? new URL(n.path, portalUrl).href : null;
}

/** One line of plain text per channel that has no structure of its own (Slack, email subject). */
export function notificationHeadline(n: Pick<Notification, "event" | "title">): string {
  const label = n.event === "test" ? "Test notification" : eventLabels[n.event];
  return `${label}: ${n.title}`;
}

/** The body of the JSON webhook: stable field names, documented in the README. */
export function webhookBody(n: Notification, deliveryId: string, portalUrl: string) {
  return {
    id: deliveryId,
    eventId: n.eventId,
    event: n.event,
    teamId: n.teamId,
    title: n.title,
    summary: n.summary,
    link: notificationLink(n, portalUrl),
    occurredAt: n.occurredAt,
    data: n.data,
  };
}

/** Slack incoming-webhook message: mrkdwn text with the link. Slack escapes only &, < and >. */
export function slackBody(n: Notification, portalUrl: string) {
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const link = notificationLink(n, portalUrl);
  const headline = escape(notificationHeadline(n));
  const text = `*${link ? `<${link}|${headline}>` : headline}*${n.summary ? `\n${escape(n.summary)}` : ""}`;
  return { text };
}

/** Plain-text email. */
export function emailMessage(n: Notification, portalUrl: string): { subject: string; text: string } {
  const link = notificationLink(n, portalUrl);
  return {
    subject: `[ML Portal] ${notificationHeadline(n)}`.slice(0, 200),
    text: `${n.summary || n.title}\n${link ? `\n${link}\n` : ""}\nYou receive this because of a notification subscription in the ML Portal (Notifications).\n`,
  };
}

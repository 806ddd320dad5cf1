// Input of the notification routes, shared by the settings form and the API.
import { z } from "zod";
import { notificationEvents } from "./events";

export const notificationChannels = ["webhook", "slack", "email"] as const;
export type NotificationChannelName = (typeof notificationChannels)[number];

const email = z.email({ message: "must be an email address, e.g. ml-platform@example.com" });

export const createSubscriptionSchema = z
  .object({
    name: z.string().trim().min(1, "give the subscription a name").max(100),
    channel: z.enum(notificationChannels),
    /** The webhook or Slack URL, or the email address. */
    target: z.string().trim().min(1, "required").max(2000),
    events: z.array(z.enum(notificationEvents)).min(1, "pick at least one event").max(notificationEvents.length),
    /** A team's subscription; without it, the caller's own. */
    teamId: z.string().min(1).max(100).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.channel === "email") {
      if (!email.safeParse(s.target).success)
        ctx.addIssue({
          code: "custom",
          path: ["target"],
          message: "must be an email address, e.g. ml-platform@example.com",
        });
      return;
    }
    let url: URL;
    try {
      url = new URL(s.target);
    } catch {
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: `must be an ${s.channel === "slack" ? "https://hooks.slack.com/services/… incoming-webhook URL" : "http(s) URL"}`,
      });
      return;
    }
    if (s.channel === "slack" && url.protocol !== "https:")
      ctx.addIssue({ code: "custom", path: ["target"], message: "a Slack incoming-webhook URL starts with https://" });
  });
export type CreateSubscriptionInput = z.infer<typeof createSubscriptionSchema>;

export const subscriptionIdParams = z.object({ id: z.string().min(1).max(100) });

export const deliveriesQuery = z.object({
  subscriptionId: z.string().min(1).max(100).optional(),
  status: z.enum(["pending", "retrying", "delivered", "failed"]).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export interface SubscriptionView {
  id: string;
  name: string;
  channel: NotificationChannelName;
  /** A URL shows its origin and first path segment only (Slack and most receivers keep a secret in the rest). */
  target: string;
  events: string[];
  teamId: string | null;
  teamName: string | null;
  ownerEmail: string | null;
  createdAt: string;
  lastDelivery: { status: string; at: string } | null;
}

export interface DeliveryView {
  id: string;
  subscriptionId: string;
  subscriptionName: string;
  event: string;
  title: string;
  status: "pending" | "retrying" | "delivered" | "failed";
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lastStatusCode: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A webhook URL as the page shows it: Slack's and most receivers' URLs carry a secret in the path or query. */
export function maskTarget(channel: NotificationChannelName, target: string): string {
  if (channel === "email") return target;
  try {
    const u = new URL(target);
    const parts = u.pathname.split("/");
    const shown = parts.length > 2 ? [...parts.slice(0, 2), "…"].join("/") : u.pathname;
    return `${u.origin}${shown}${u.search ? "?…" : ""}`;
  } catch {
    return "(invalid URL)";
  }
}

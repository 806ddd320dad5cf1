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

// Responses of the notification routes (route() holds each handler to its schema; lib/client reads them).

export const subscriptionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  channel: z.enum(notificationChannels),
  target: z.string(),
  events: z.array(z.string()),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  createdAt: z.string(),
  lastDelivery: z.object({ status: z.string(), at: z.string() }).nullable(),
});
export const deliveryViewSchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  subscriptionName: z.string(),
  event: z.string(),
  title: z.string(),
  status: z.enum(["pending", "retrying", "delivered", "failed"]),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lastError: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export const subscriptionListResponse = z.object({ items: z.array(subscriptionViewSchema) });
/** A webhook's signing secret is in this answer only. */
export const subscriptionCreatedResponse = z.object({
  subscription: subscriptionViewSchema,
  signingSecret: z.string().nullable(),
});
export const subscriptionDeletedResponse = z.object({ id: z.string() });
export const testNotificationResponse = z.object({ delivery: deliveryViewSchema });
export const deliveryListResponse = z.object({
  items: z.array(deliveryViewSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

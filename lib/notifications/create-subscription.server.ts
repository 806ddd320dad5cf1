import "server-only";
import { randomBytes } from "node:crypto";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError, fieldErrorsFromIssues } from "@/lib/errors/domain-error";
import { requireAllowedUrl, UrlRefusedError } from "@/lib/net/policy-fetch.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { sealSigningSecret } from "./signing-secret.server";
import { notificationConfig } from "./notification-config.server";
import { mayHear } from "./match-subscriptions";
import { createSubscriptionSchema, maskTarget, type CreateSubscriptionInput, type SubscriptionView } from "./schema";
import { findVisible, toView } from "./subscription-view.server";

/**
 * Creates a subscription. A webhook's signing secret is returned here and never again. The URL must pass the URL
 * policy now (not only at delivery), so a person learns at once that an admin has to allow the host.
 */
export async function createSubscription({
  actor: user,
  input: raw,
  traceId,
}: {
  actor: PortalUser;
  input: CreateSubscriptionInput;
  traceId?: string;
}): Promise<{ subscription: SubscriptionView; signingSecret: string | null }> {
  await authorize(user, "notification.manage", {}, traceId);
  const db = getPrisma();
  // Parsed here too, not only by the route: the channel-specific rules (https for Slack) hold for every caller.
  const parsed = createSubscriptionSchema.safeParse(raw);
  if (!parsed.success) {
    const fields = fieldErrorsFromIssues(parsed.error.issues);
    throw new DomainError("validation_failed", fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields);
  }
  const input = parsed.data;
  if (input.teamId !== undefined) {
    if (!(await db.team.findUnique({ where: { id: input.teamId } })))
      throw new DomainError("validation_failed", "teamId names no team: pick one of your teams.", [
        { path: "teamId", message: "does not exist" },
      ]);
    if (user.role !== "platform-admin" && !user.teamIds.includes(input.teamId))
      throw new DomainError("forbidden", "Only a member of the team (or a platform admin) subscribes the team.");
  }
  const unreadable = input.events.filter((event) => !mayHear(user, event, input.teamId ?? null));
  if (unreadable.length)
    throw new DomainError(
      "forbidden",
      `events: you may not read ${unreadable.join(", ")} in the portal, so you cannot subscribe ${input.teamId ? "a team" : "yourself"} to ${unreadable.length > 1 ? "them" : "it"}.`,
      [{ path: "events", message: `${unreadable.join(", ")}: not readable by you` }],
    );
  if (input.channel === "email" && !notificationConfig().smtpUrl) {
    throw new DomainError(
      "validation_failed",
      "channel: email is not configured on this portal: an operator sets SMTP_URL, or pick webhook or Slack.",
      [{ path: "channel", message: "email is not configured (SMTP_URL)" }],
    );
  }
  if (input.channel !== "email") {
    try {
      requireAllowedUrl(
        input.target,
        { allow: await readUrlAllowList(db) },
        input.channel === "slack" ? "Slack webhook URL" : "webhook URL",
      );
    } catch (error) {
      if (error instanceof UrlRefusedError)
        throw new DomainError("validation_failed", `target: ${error.message}`, [
          { path: "target", message: error.message },
        ]);
      throw error;
    }
  }
  const signingSecret = input.channel === "webhook" ? `whsec_${randomBytes(32).toString("base64url")}` : null;
  const id = await db.$transaction(async (tx) => {
    const row = await tx.notificationSubscription.create({
      data: {
        name: input.name,
        channel: input.channel,
        target: input.target,
        events: [...new Set(input.events)],
        teamId: input.teamId ?? null,
        ownerId: input.teamId ? null : user.id,
        signingSecret: signingSecret === null ? null : sealSigningSecret(signingSecret),
        createdById: user.id,
      },
    });
    await recordAudit(tx, {
      actor: user,
      action: "notification.subscribe",
      targetType: "notification-subscription",
      targetId: row.id,
      outcome: "success",
      traceId,
      details: {
        name: row.name,
        channel: row.channel,
        target: maskTarget(row.channel, row.target),
        events: row.events,
        teamId: row.teamId,
      },
    });
    return row.id;
  });
  return { subscription: toView((await findVisible(db, user, id))!), signingSecret };
}

import "server-only";
import nodemailer from "nodemailer";
import { policyFetch, UrlRefusedError } from "@/lib/net/policy-fetch.server";
import { describeHttpFailure } from "./delivery-policy";
import { emailMessage, slackBody, webhookBody, type Notification } from "./events";
import type { NotificationConfig } from "./notification-config.server";
import { SIGNATURE_HEADER, signBody } from "./webhook-signature";

const TIMEOUT_MS = 10_000;

export interface Destination {
  channel: "webhook" | "slack" | "email";
  target: string;
  signingSecret: string | null;
}

export type SendResult =
  { ok: true; statusCode?: number } | { ok: false; error: string; statusCode?: number; retryable: boolean };

/** One attempt on one channel. Never throws: every failure is a value the delivery log can show. */
export async function sendNotification(o: {
  destination: Destination;
  notification: Notification;
  deliveryId: string;
  config: NotificationConfig;
  allow: readonly string[];
}): Promise<SendResult> {
  const { destination: d, notification: n, config } = o;
  try {
    if (d.channel === "email") return await sendEmail(d.target, n, config);
    const body = JSON.stringify(
      d.channel === "slack" ? slackBody(n, config.portalUrl) : webhookBody(n, o.deliveryId, config.portalUrl),
    );
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "ml-portal-notifications",
    };
    if (d.channel === "webhook") {
      headers["x-portal-event"] = n.event;
      headers["x-portal-delivery"] = o.deliveryId;
      if (d.signingSecret) headers[SIGNATURE_HEADER] = signBody(body, d.signingSecret);
    }
    const response = await policyFetch(
      d.target,
      // A POST is never re-sent to wherever a redirect points: the 3xx is the answer, and the log says so.
      {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        maxBodyBytes: 64 * 1024,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        what: d.channel === "slack" ? "Slack webhook URL" : "webhook URL",
      },
      { allow: o.allow },
    );
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    const redirect =
      response.status >= 300 && response.status < 400
        ? ` (redirects are not followed: use the final URL${typeof response.headers.location === "string" ? `, ${response.headers.location}` : ""})`
        : "";
    // 4xx other than 408/429 mean the receiver refuses this request as sent: trying again cannot help.
    const retryable = response.status >= 500 || response.status === 408 || response.status === 429 || redirect !== "";
    return {
      ok: false,
      statusCode: response.status,
      error: describeHttpFailure(response.status, response.text) + redirect,
      retryable,
    };
  } catch (error) {
    if (error instanceof UrlRefusedError) return { ok: false, error: error.message, retryable: true };
    return { ok: false, error: describeNetworkError(error, d), retryable: true };
  }
}

async function sendEmail(to: string, n: Notification, config: NotificationConfig): Promise<SendResult> {
  if (!config.smtpUrl)
    return {
      ok: false,
      error: "email is not configured on the worker: set SMTP_URL (smtp://user:password@host:587)",
      retryable: true,
    };
  const transport = nodemailer.createTransport(config.smtpUrl, {
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  try {
    const message = emailMessage(n, config.portalUrl);
    await transport.sendMail({
      from: config.emailFrom,
      to,
      subject: message.subject,
      text: message.text,
      headers: { "X-Portal-Event": n.event },
    });
    return { ok: true };
  } finally {
    transport.close();
  }
}

function describeNetworkError(error: unknown, d: Destination): string {
  const e = error as { code?: string; message?: string; name?: string; responseCode?: number };
  const where = d.channel === "email" ? "the SMTP server" : new URL(d.target).host;
  if (e.name === "TimeoutError" || e.code === "UND_ERR_HEADERS_TIMEOUT" || e.code === "ETIMEDOUT")
    return `${where} did not answer within ${TIMEOUT_MS / 1000} s`;
  if (e.code === "ECONNREFUSED") return `${where} refused the connection: is the receiver running?`;
  if (e.code === "ENOTFOUND") return `${where} has no address: check the host name`;
  if (typeof e.responseCode === "number")
    return `the SMTP server refused the message (${e.responseCode}): ${e.message ?? ""}`.trim();
  return `${where}: ${e.message ?? String(error)}`;
}

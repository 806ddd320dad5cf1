// The webhook signature: what the worker sends and what a receiver checks. Pure (node:crypto, no I/O); server and
// tests only.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-portal-signature-256";

/** `sha256=<hex HMAC-SHA256 of the exact body bytes>`, the scheme GitHub's webhooks use, so receivers have code for it. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

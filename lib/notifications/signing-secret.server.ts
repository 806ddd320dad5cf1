import "server-only";
// A webhook subscription's signing secret is shown once and stored sealed (lib/crypto/secret-box.ts). Rows written
// before sealing existed hold the secret in plain text: no SQL migration can seal them (the key lives in the
// environment, not the database), so they are read as they are and sealed in place on their first delivery.
import { randomBytes } from "node:crypto";
import { isSealed, open, seal } from "@/lib/crypto/secret-box";
import { storedSecretKey } from "@/lib/crypto/secret-key.server";
import type { Db } from "@/lib/db/prisma.server";

const PURPOSE = "notification-webhook-signing-secret";

export function sealSigningSecret(plain: string): string {
  return seal(plain, storedSecretKey(PURPOSE), randomBytes(12));
}

/** The plain secret of a subscription row; a legacy plain row is sealed in the database on the way. */
export async function readSigningSecret(
  db: Db,
  subscription: { id: string; signingSecret: string | null },
): Promise<string | null> {
  const stored = subscription.signingSecret;
  if (stored === null) return null;
  if (isSealed(stored)) return open(stored, storedSecretKey(PURPOSE));
  // Only the row still holding this plain value is changed, so two workers sealing at once cannot clash.
  await db.notificationSubscription.updateMany({
    where: { id: subscription.id, signingSecret: stored },
    data: { signingSecret: sealSigningSecret(stored) },
  });
  return stored;
}

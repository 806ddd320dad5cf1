// Secrets the portal must read back (a webhook's signing secret) are stored sealed with AES-256-GCM: a row read
// from the database, a backup or a log of it gives nothing without the key, and a changed byte fails to open
// instead of signing with a wrong secret. Pure: the key and the nonce are passed in.
import { createCipheriv, createDecipheriv, hkdfSync } from "node:crypto";

const PREFIX = "enc:v1:";
const NONCE_BYTES = 12;

/** The 32-byte key for `purpose` derived from a secret of any length (HKDF-SHA256), so one secret serves many uses. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "ml-portal", purpose, 32));
}

/** A stored value that was written before sealing existed (plain text): callers re-seal it on first use. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** `enc:v1:<nonce>.<tag>.<ciphertext>` in base64url; `nonce` must be 12 random bytes, never reused with a key. */
export function seal(plain: string, key: Buffer, nonce: Buffer): string {
  if (nonce.length !== NONCE_BYTES) throw new Error(`seal needs a ${NONCE_BYTES}-byte nonce`);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${PREFIX}${[nonce, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(".")}`;
}

export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedSecretError";
  }
}

/** The plain text of a sealed value; throws SealedSecretError when it was changed or sealed with another key. */
export function open(stored: string, key: Buffer): string {
  if (!isSealed(stored)) throw new SealedSecretError("the value is not sealed");
  const [nonce, tag, data, ...rest] = stored.slice(PREFIX.length).split(".");
  if (nonce === undefined || tag === undefined || data === undefined || rest.length > 0)
    throw new SealedSecretError("the sealed value is malformed");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealedSecretError("the sealed value was changed or sealed with another key");
  }
}

import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deriveKey, isSealed, open, seal, SealedSecretError } from "./secret-box";

const key = deriveKey("a-portal-secret-key-of-some-length", "webhook-signing-secret");
const secret = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw";

describe("secret box", () => {
  it("opens what it sealed, and the sealed text does not contain the secret", () => {
    const sealed = seal(secret, key, randomBytes(12));
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(open(sealed, key)).toBe(secret);
  });

  it("seals the same secret differently with another nonce", () => {
    expect(seal(secret, key, randomBytes(12))).not.toBe(seal(secret, key, randomBytes(12)));
  });

  it("refuses a sealed value with one byte changed, in the data, the tag or the nonce", () => {
    const sealed = seal(secret, key, randomBytes(12));
    const parts = sealed.slice("enc:v1:".length).split(".");
    for (const index of [0, 1, 2]) {
      const bytes = Buffer.from(parts[index] ?? "", "base64url");
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      const changed = parts.map((p, i) => (i === index ? bytes.toString("base64url") : p));
      expect(() => open(`enc:v1:${changed.join(".")}`, key)).toThrow(SealedSecretError);
    }
  });

  it("refuses a value sealed with another key, and plain or malformed text", () => {
    const sealed = seal(secret, key, randomBytes(12));
    expect(() => open(sealed, deriveKey("another-secret-key-entirely-here", "webhook-signing-secret"))).toThrow(
      "changed or sealed with another key",
    );
    expect(() => open(sealed, deriveKey("a-portal-secret-key-of-some-length", "another-purpose"))).toThrow(
      SealedSecretError,
    );
    expect(isSealed(secret)).toBe(false);
    expect(() => open(secret, key)).toThrow("not sealed");
    expect(() => open("enc:v1:abc", key)).toThrow("malformed");
  });
});

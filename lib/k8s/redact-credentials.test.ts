import { describe, expect, it } from "vitest";
import { redactCredentials } from "./redact-credentials";

describe("redactCredentials", () => {
  it.each([
    ["Authorization: Bearer abc.def.ghi-123", "abc.def.ghi-123"],
    ['{"token":"s3cr3t-value"}', "s3cr3t-value"],
    ["client-key-data: LS0tLS1CRUdJTiBQUklW", "LS0tLS1CRUdJTiBQUklW"],
    ["password=hunter2hunter2", "hunter2hunter2"],
  ])("removes the credential from %s", (text, secret) => {
    const out = redactCredentials(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("[REDACTED]");
  });

  it("removes a known secret wherever it appears, even without a keyword", () => {
    expect(redactCredentials("request to https://x failed near 9f8e7d6c5b4a", ["9f8e7d6c5b4a"])).toBe(
      "request to https://x failed near [REDACTED]",
    );
  });

  it("leaves ordinary API messages alone", () => {
    const message = 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas';
    expect(redactCredentials(message)).toBe(message);
  });
});

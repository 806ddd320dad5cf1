// The canary's checksum: sha256 over its data with keys sorted, so the same content always gives the same sum
// whatever order the API returns the keys in. Pure (node:crypto only).
import { createHash } from "node:crypto";

export function canaryChecksum(data: Record<string, string>): string {
  const canonical = JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
  return createHash("sha256").update(canonical).digest("hex");
}

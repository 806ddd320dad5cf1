// next.config.js puts the security headers that need no nonce on every response (static files included); HSTS only
// in production, where the portal is served over https.
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const require = createRequire(import.meta.url);
const configPath = path.resolve(__dirname, "../../next.config.js");

async function headersFor(nodeEnv: string): Promise<Record<string, string>> {
  vi.stubEnv("NODE_ENV", nodeEnv);
  delete require.cache[configPath];
  const config = require(configPath) as {
    headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]>;
  };
  const rules = await config.headers();
  expect(rules.map((r) => r.source)).toEqual(["/:path*"]);
  return Object.fromEntries(rules[0]!.headers.map((h) => [h.key, h.value]));
}

afterEach(() => vi.unstubAllEnvs());

describe("next.config.js security headers", () => {
  it("refuses framing and sniffing and trims the referrer everywhere", async () => {
    expect(await headersFor("development")).toEqual({
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "strict-origin-when-cross-origin",
    });
  });

  it("adds HSTS in production only", async () => {
    expect((await headersFor("production"))["Strict-Transport-Security"]).toMatch(
      /^max-age=\d{7,}; includeSubDomains$/,
    );
    expect(await headersFor("test")).not.toHaveProperty("Strict-Transport-Security");
  });
});

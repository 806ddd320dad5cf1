// The Node.js part of instrumentation.ts (the file name and split are the ones Next.js documents for Node-only code).
// No "server-only" import: instrumentation is not bundled with the react-server condition that makes it a no-op.
import { parseEnv } from "./lib/config/env";

export { stampPeerAddresses } from "./lib/auth/peer-address.server";

/** Stops the web server (exit 78, EX_CONFIG) when a setting is invalid or missing, naming each one. */
export function checkConfigurationAtStart(): void {
  const result = parseEnv(process.env);
  if (result.ok) return;
  for (const problem of result.problems) console.error(`configuration error: ${problem}`);
  // During `next build` there is no runtime configuration to check.
  if (process.env.NEXT_PHASE !== "phase-production-build") process.exit(78);
}

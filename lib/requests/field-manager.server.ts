import "server-only";
import { parseEnv } from "@/lib/config/env";

/**
 * The server-side apply field manager of the portal's applies (PORTAL_FIELD_MANAGER). Previews (dry-runs) use it
 * too: a dry-run under another name would report the portal's own earlier applies as conflicts.
 */
export function portalFieldManager(): string {
  const env = parseEnv(process.env);
  return env.ok ? env.env.PORTAL_FIELD_MANAGER : "ml-portal";
}

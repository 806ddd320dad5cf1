import "server-only";
import { getSetting } from "@/lib/env/get-env";

/**
 * The server-side apply field manager of the portal's applies (PORTAL_FIELD_MANAGER). Previews (dry-runs) use it
 * too: a dry-run under another name would report the portal's own earlier applies as conflicts.
 */
export function portalFieldManager(): string {
  return getSetting("PORTAL_FIELD_MANAGER");
}

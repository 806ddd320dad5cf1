import { checkReadiness } from "@/lib/db/readiness.server";
import { logger } from "@/lib/observability/logger";

export const dynamic = "force-dynamic";

// Readiness: the database is reachable and migrations are applied (503 otherwise). Anyone may call it, so the answer
// says only which of the two failed; the driver's error (addresses, ports) goes to the log.
export async function GET() {
  const result = await checkReadiness();
  if (result.ready) return Response.json({ status: "ready" });
  logger.warn({ reason: result.reason, detail: result.detail }, "not ready");
  return Response.json({ status: "not_ready", reason: result.reason }, { status: 503 });
}

import { checkReadiness } from "@/lib/db/readiness.server";

export const dynamic = "force-dynamic";

// Readiness: the database is reachable and migrations are applied (503 otherwise, with the reason).
export async function GET() {
  const result = await checkReadiness();
  return Response.json(result.ready ? { status: "ready" } : { status: "not_ready", reason: result.reason }, { status: result.ready ? 200 : 503 });
}

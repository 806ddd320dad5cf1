// Liveness: the process is up and serving. Never touches the database.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" });
}

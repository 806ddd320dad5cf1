import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { ingestionStatus, readCostSettings } from "@/lib/costs/sources/ingest-usage.server";

/** The cost data sources as saved, with how each source's ingestion is doing at `now`. */
export async function getCostSettings({ actor, now, traceId }: { actor: PortalUser; now: number; traceId?: string }) {
  await authorize(actor, "settings.manage", {}, traceId);
  const db = getPrisma();
  const settings = await readCostSettings(db);
  return { settings, ingestion: await ingestionStatus(db, now, settings) };
}

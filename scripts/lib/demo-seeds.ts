// Each domain's demo data, added to the first-run seed (lib/db/seed-demo.server.ts).
import type { Db } from "@/lib/db/prisma.server";
import { seedDrTemplates } from "@/lib/dr/seed-dr-templates.server";
import { seedDemoUsage } from "@/lib/costs/ingest-usage.server";

export const demoSeeds: ((db: Db, now: Date) => Promise<void>)[] = [
  async (db) => {
    const sandbox = await db.clusterTarget.findFirst({ where: { isSandbox: true }, select: { id: true } });
    await seedDrTemplates(db, { clusterTargetId: sandbox?.id ?? null, ...(process.env.PORTAL_DEMO_HEALTH_URL ? { modelServerHealthUrl: process.env.PORTAL_DEMO_HEALTH_URL, featureStoreHealthUrl: process.env.PORTAL_DEMO_HEALTH_URL } : {}) });
  },
  async (db, now) => {
    await seedDemoUsage(db, now.getTime());
  },
];

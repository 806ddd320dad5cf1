// Seeds the demo on the first run only: a Setting row marks it done, inside the same transaction-free flow
// (every seed is an idempotent upsert, so an interrupted first run simply seeds again next time).
import { getPrisma, disconnectPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { demoSeeds } from "./demo-seeds";

export async function seedDemoOnce(options: { sandboxApiServer: string; now: Date }): Promise<boolean> {
  const db = getPrisma();
  try {
    const marker = await db.setting.findUnique({ where: { key: "demo.seededAt" } });
    // The sandbox's port may change between runs: keep the cluster target pointing at it.
    await db.clusterTarget.updateMany({ where: { isSandbox: true }, data: { apiServer: options.sandboxApiServer } });
    if (marker) return false;
    await seedDemo(db, { ...options, extraSeeds: demoSeeds });
    await db.setting.create({ data: { key: "demo.seededAt", value: options.now.toISOString() } });
    return true;
  } finally {
    await disconnectPrisma();
  }
}

// Seeds the demo on the first run only: a Setting row marks it done, inside the same transaction-free flow
// (every seed is an idempotent upsert, so an interrupted first run simply seeds again next time).
import { getPrisma, disconnectPrisma } from "@/lib/db/prisma.server";
import {
  SANDBOX_CLUSTER_NAME,
  SANDBOX_STANDBY_CLUSTER_NAME,
  seedDemo,
  seedSandboxStandby,
} from "@/lib/db/seed-demo.server";
import { demoSeeds } from "./demo-seeds";

export async function seedDemoOnce(options: {
  sandboxApiServer: string;
  sandboxStandbyApiServer: string;
  now: Date;
}): Promise<boolean> {
  const db = getPrisma();
  try {
    const marker = await db.setting.findUnique({ where: { key: "demo.seededAt" } });
    // The sandbox's ports may change between runs: keep the cluster targets pointing at them.
    await db.clusterTarget.updateMany({
      where: { isSandbox: true, name: SANDBOX_CLUSTER_NAME },
      data: { apiServer: options.sandboxApiServer },
    });
    await db.clusterTarget.updateMany({
      where: { isSandbox: true, name: SANDBOX_STANDBY_CLUSTER_NAME },
      data: { apiServer: options.sandboxStandbyApiServer },
    });
    if (marker) {
      // A demo seeded before the sandbox had a standby gets it registered on its next start.
      await seedSandboxStandby(db, options.sandboxStandbyApiServer);
      return false;
    }
    await seedDemo(db, { ...options, extraSeeds: demoSeeds });
    await db.setting.create({ data: { key: "demo.seededAt", value: options.now.toISOString() } });
    return true;
  } finally {
    await disconnectPrisma();
  }
}

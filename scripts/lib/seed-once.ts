// Seeds the demo on the first run only: a Setting row marks it done, inside the same transaction-free flow
// (every seed is an idempotent upsert, so an interrupted first run simply seeds again next time).
import { z } from "zod";
import { getPrisma, disconnectPrisma } from "@/lib/db/prisma.server";
import {
  SANDBOX_CLUSTER_NAME,
  SANDBOX_STANDBY_CLUSTER_NAME,
  seedDemo,
  seedSandboxStandby,
} from "@/lib/db/seed-demo.server";
import { defineSetting } from "@/lib/settings/setting";
import { readSetting, writeSetting } from "@/lib/settings/setting-store.server";
import { demoSeeds } from "./demo-seeds";

/** When the demo was seeded (ISO time); its presence is what marks the seed done. */
const demoSeededAtSetting = defineSetting("demo.seededAt", z.string());

export async function seedDemoOnce(options: {
  sandboxApiServer: string;
  sandboxStandbyApiServer: string;
  now: Date;
}): Promise<boolean> {
  const db = getPrisma();
  try {
    const marker = (await readSetting(db, demoSeededAtSetting)).state !== "missing";
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
    await writeSetting(db, demoSeededAtSetting, options.now.toISOString());
    return true;
  } finally {
    await disconnectPrisma();
  }
}

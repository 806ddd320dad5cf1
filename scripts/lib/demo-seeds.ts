// Each domain's demo data, added to the first-run seed (lib/db/seed-demo.server.ts).
import type { Db } from "@/lib/db/prisma.server";
import { SANDBOX_CLUSTER_NAME, SANDBOX_STANDBY_CLUSTER_NAME } from "@/lib/db/seed-demo.server";
import { seedDrTemplates } from "@/lib/dr/seed-dr-templates.server";
import { sandboxTemplateOptions } from "@/lib/dr/templates";
import { seedDemoUsage } from "@/lib/costs/sources/ingest-usage.server";
import { tightDemoBudget } from "@/lib/costs/demo-budget";

export const demoSeeds: ((db: Db, now: Date) => Promise<void>)[] = [
  async (db) => {
    const sandbox = await db.clusterTarget.findFirst({
      where: { isSandbox: true, name: SANDBOX_CLUSTER_NAME },
      select: { id: true },
    });
    const standby = await db.clusterTarget.findFirst({
      where: { isSandbox: true, name: SANDBOX_STANDBY_CLUSTER_NAME },
      select: { id: true },
    });
    // The sandbox's inference Deployment is llm-server; the drills probe it from inside the sandbox cluster, and
    // cluster_failure restores on the standby.
    await seedDrTemplates(db, { clusterTargetId: sandbox?.id ?? null, ...sandboxTemplateOptions(standby?.id) });
  },
  async (db, now) => {
    await seedDemoUsage(db, now.getTime());
    // One team forecast over its budget, so finance sees the costs dashboard's budget alert in the demo.
    const tight = tightDemoBudget();
    await db.team.update({
      where: { slug: tight.team },
      data: { monthlyBudgetUsd: tight.monthlyBudgetUsd, budgetIsDemo: true },
    });
  },
];

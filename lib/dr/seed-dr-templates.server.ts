import "server-only";
import type { Db } from "@/lib/db/prisma.server";
import { rowFromPlan } from "./plan-rows";
import { drTemplates, type TemplateOptions } from "./templates";

/**
 * Stores the reference's three plans as templates (version 1) unless the key already exists: idempotent, and an
 * SRE's later versions are never overwritten. `clusterTargetId` binds the seeded plans to a cluster (the demo's
 * sandbox); templates stay unbound otherwise and a run names the cluster.
 */
export async function seedDrTemplates(
  db: Db,
  options: TemplateOptions & { clusterTargetId?: string | null } = {},
): Promise<string[]> {
  const created: string[] = [];
  for (const plan of drTemplates(options)) {
    const exists = await db.drPlan.findFirst({ where: { key: plan.key }, select: { id: true } });
    if (exists) continue;
    const row = rowFromPlan({ ...plan, scope: { ...plan.scope, clusterTargetId: options.clusterTargetId ?? null } });
    await db.drPlan.create({ data: { ...row, steps: row.steps as object, version: 1, isTemplate: true } });
    created.push(plan.key);
  }
  return created;
}

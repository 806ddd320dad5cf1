import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";
import { planFromRow } from "./plan-rows";
import { renderDryRun } from "./describe-step";

/** One version of a plan (the newest without one) with its dry-run rendering. */
export async function getDrillPlan({
  actor,
  planKey: key,
  version,
  traceId,
}: {
  actor: PortalUser;
  planKey: string;
  version?: number;
  traceId?: string;
}) {
  await authorize(actor, "drill.read", {}, traceId);
  const row = await getPrisma().drPlan.findFirst({
    where: { key, ...(version ? { version } : {}) },
    orderBy: { version: "desc" },
  });
  if (!row) throw new DomainError("not_found", `DR plan ${key} was not found`);
  const plan = planFromRow(row);
  return { version: row.version, isTemplate: row.isTemplate, plan, dryRun: renderDryRun(plan) };
}

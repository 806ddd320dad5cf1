import "server-only";
import type { Tx } from "@/lib/db/prisma.server";

/**
 * How the request's last apply reached the cluster: "git" when that run left a GitDelivery record, else "direct".
 * A revert follows it, not the cluster's current mode: objects applied directly have no files in Git to remove, and
 * objects a reconciler applied from Git would be put back by Argo CD / Flux if deleted on the cluster.
 */
async function deliveredMode(
  db: Pick<Tx, "applyRun" | "gitDelivery">,
  requestId: string,
): Promise<"git" | "direct" | null> {
  const apply = await db.applyRun.findFirst({
    where: { requestId, operation: "apply" },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return deliveredModeOfRun(db, apply?.id ?? null);
}

async function deliveredModeOfRun(
  db: Pick<Tx, "gitDelivery">,
  applyRunId: string | null,
): Promise<"git" | "direct" | null> {
  if (!applyRunId) return null;
  const git = await db.gitDelivery.findUnique({ where: { applyRunId }, select: { id: true } });
  return git ? "git" : "direct";
}

type ModeRequest = { id: string; clusterTarget: { deliveryMode: "direct" | "git" } | null };

/** How a run of `operation` on the request goes: a revert the way the apply went, an apply the cluster's way now. */
export async function runMode(
  db: Pick<Tx, "applyRun" | "gitDelivery">,
  request: ModeRequest,
  operation: "apply" | "revert",
): Promise<"git" | "direct" | null> {
  const now = request.clusterTarget?.deliveryMode ?? null;
  return operation === "revert" ? ((await deliveredMode(db, request.id)) ?? now) : now;
}

/**
 * runMode of both operations in one read, for a caller that holds the request's runs already: `latestApplyRunId`
 * is its newest apply run (null when it has none).
 */
export async function runModes(
  db: Pick<Tx, "gitDelivery">,
  request: ModeRequest,
  latestApplyRunId: string | null,
): Promise<Record<"apply" | "revert", "git" | "direct" | null>> {
  const now = request.clusterTarget?.deliveryMode ?? null;
  return { apply: now, revert: (await deliveredModeOfRun(db, latestApplyRunId)) ?? now };
}

import "server-only";
import type { Tx } from "@/lib/db/prisma.server";
import { unprocessable } from "@/lib/errors/domain-error";

/** A cost label value belongs to one team only: otherwise one cost would count against two budgets. */
export async function refuseTakenLabelValues(tx: Tx, values: readonly string[], ownId: string | null): Promise<void> {
  if (values.length === 0) return;
  const others = await tx.team.findMany({
    where: {
      OR: [{ slug: { in: [...values] } }, { costLabelValues: { hasSome: [...values] } }],
      ...(ownId ? { NOT: { id: ownId } } : {}),
    },
    select: { slug: true, costLabelValues: true },
  });
  for (const [i, value] of values.entries()) {
    const owner = others.find((t) => t.slug === value || t.costLabelValues.includes(value));
    if (owner)
      throw unprocessable(`costLabelValues: "${value}" is already team ${owner.slug}'s: remove it there first`, [
        { path: `costLabelValues.${i}`, message: `already team ${owner.slug}'s` },
      ]);
  }
}

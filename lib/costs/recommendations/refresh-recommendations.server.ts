import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { toJsonValue } from "@/lib/db/json-value";
import type { Db } from "@/lib/db/prisma.server";
import type { CloudProvider } from "@/lib/pricing/lookup-price";
import { computeInferenceScaling, latestUsageHour } from "@/lib/costs/rollups/ingestion-results.server";
import type { LivePrice } from "@/lib/pricing/live-prices";
import { computeRecommendations } from "./recommendations";
import { DAY_MS } from "@/lib/costs/schema";
import { loadUsageRows } from "@/lib/costs/rollups/usage-store.server";
import { inferenceSizingOf } from "@/lib/costs/rollups/weekly-scaling";

/**
 * Recomputes recommendations from the last 30 days of rollups and stores them by fingerprint, so a snoozed,
 * accepted or dismissed recommendation keeps its state when the same advice is computed again.
 */
export async function refreshRecommendations(
  db: Db,
  o: {
    now: number;
    source: string;
    cloud: CloudProvider;
    /** The live prices the rows were costed at (lib/costs/live-prices.server.ts `costLivePrices`). */
    livePrices?: { region: string; prices: ReadonlyMap<string, LivePrice> };
  },
): Promise<{ current: number; removed: number }> {
  const rows = await loadUsageRows(db, { source: o.source, since: o.now - 30 * DAY_MS, until: o.now });
  // Scheduled scaling of inference sizes as the inference table does (the week's peak and lowest hour).
  const hour = await latestUsageHour(db, o.source, o.now);
  const inferenceSizing =
    hour === null ? undefined : inferenceSizingOf(await computeInferenceScaling(db, o.source, hour, null));
  const teams = await db.team.findMany({ select: { slug: true, name: true } });
  const recs = computeRecommendations({
    rows,
    teamNames: new Map(teams.map((t) => [t.slug, t.name])),
    now: o.now,
    cloud: o.cloud,
    livePrices: o.livePrices,
    inferenceSizing,
  });
  const computedAt = new Date(o.now);
  return db.$transaction(async (tx) => {
    for (const r of recs) {
      const data = {
        category: r.category,
        title: r.title,
        team: r.team,
        resources: toJsonValue(r.resources),
        currentMonthlyUsd: r.currentMonthlyUsd,
        projectedSavingsUsd: r.projectedSavingsUsd,
        confidence: r.confidence,
        effort: r.effort,
        rationale: r.rationale,
        actionItems: r.actionItems as Prisma.InputJsonValue,
        requestDraft: (r.requestDraft ?? undefined) as Prisma.InputJsonValue | undefined,
        computedAt,
      };
      await tx.recommendation.upsert({
        where: { fingerprint: r.fingerprint },
        create: { fingerprint: r.fingerprint, ...data },
        update: data,
      });
    }
    // A snooze ends by itself.
    await tx.recommendation.updateMany({
      where: { state: "snoozed", snoozedUntil: { lte: computedAt } },
      data: { state: "open", snoozedUntil: null },
    });
    // Open advice the data no longer supports disappears; decisions people made stay for the record.
    const removed = await tx.recommendation.deleteMany({
      where: { state: "open", fingerprint: { notIn: recs.map((r) => r.fingerprint) } },
    });
    return { current: recs.length, removed: removed.count };
  });
}

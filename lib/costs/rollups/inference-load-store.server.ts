import "server-only";
import type { Db, Tx } from "@/lib/db/prisma.server";
import type { InferenceLoadRow } from "@/lib/costs/sources/inference-load";

type Client = Db | Tx;

/** Bulk upsert by the row's identity (hour, source, team, node pool, model, version): re-ingesting an hour rewrites it. */
export async function upsertInferenceLoad(
  db: Client,
  rows: readonly InferenceLoadRow[],
  chunkSize = 5000,
): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += chunkSize) {
    const c = rows.slice(i, i + chunkSize);
    written += await db.$executeRawUnsafe(
      `INSERT INTO "InferenceLoadHourly" ("hour", "source", "team", "nodePool", "model", "modelVersion", "requestsPerSecond", "queueDepthAvg", "queueDepthMax", "replicas", "generatedTokensPerSecond")
       SELECT h, s, t, np, m, v, rps, qa, qm, r, gt
       FROM unnest($1::timestamp(3)[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::float8[], $10::int[], $11::float8[]) AS x(h, s, t, np, m, v, rps, qa, qm, r, gt)
       ON CONFLICT ("hour", "source", "team", "nodePool", "model", "modelVersion") DO UPDATE SET
         "requestsPerSecond" = EXCLUDED."requestsPerSecond", "queueDepthAvg" = EXCLUDED."queueDepthAvg",
         "queueDepthMax" = EXCLUDED."queueDepthMax", "replicas" = EXCLUDED."replicas",
         "generatedTokensPerSecond" = EXCLUDED."generatedTokensPerSecond"`,
      c.map((r) => new Date(r.hour).toISOString()),
      c.map((r) => r.source),
      c.map((r) => r.team),
      c.map((r) => r.nodePool),
      c.map((r) => r.model),
      c.map((r) => r.modelVersion),
      c.map((r) => r.requestsPerSecond),
      c.map((r) => r.queueDepthAvg),
      c.map((r) => r.queueDepthMax),
      c.map((r) => r.replicas),
      c.map((r) => r.generatedTokensPerSecond ?? null),
    );
  }
  return written;
}

export async function loadInferenceLoad(
  db: Client,
  where: { source: string; since: number; until: number; teams?: readonly string[] | null },
): Promise<InferenceLoadRow[]> {
  const rows = await db.inferenceLoadHourly.findMany({
    where: {
      source: where.source,
      hour: { gte: new Date(where.since), lt: new Date(where.until) },
      ...(where.teams ? { team: { in: [...where.teams] } } : {}),
    },
    orderBy: { hour: "asc" },
  });
  return rows.map((r) => ({ ...r, hour: r.hour.getTime() }));
}

-- CreateTable
CREATE TABLE "GpuUtilizationDailyHistogram" (
    "source" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "team" TEXT NOT NULL,
    "workloadType" TEXT NOT NULL,
    "nodePool" TEXT NOT NULL,
    "utilization" SMALLINT NOT NULL,
    "gpuHours" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "GpuUtilizationDailyHistogram_pkey" PRIMARY KEY ("source","day","team","workloadType","nodePool","utilization")
);

-- Backfill: the histogram of every day already ingested, from the hourly rows, so an existing database's dashboard
-- p50/p90 are the report's (within half a point) from the first request (the ingestion's refresh only rebuilds the days it touches).
-- The bucket is refreshDailySql's in lib/costs/summary-sql.ts (utilizationBucket in utilization-percentiles.ts):
-- round(used ÷ allocated × 100), half up, 0–100, weighted by allocated GPU-hours; rows without allocation have none.
INSERT INTO "GpuUtilizationDailyHistogram" ("source", "day", "team", "workloadType", "nodePool", "utilization", "gpuHours")
SELECT "source", date_trunc('day', "hour")::date, "team", "workloadType", "nodePool",
       least(100, greatest(0, floor("gpuHoursUsed" / "gpuHoursAllocated" * 100 + 0.5)))::smallint, sum("gpuHoursAllocated")
  FROM "GpuUsageHourly"
 WHERE "gpuHoursAllocated" > 0
 GROUP BY 1, 2, 3, 4, 5, 6;

-- Statistics for the dashboard query right away, not after autovacuum gets to the backfilled rows.
ANALYZE "GpuUtilizationDailyHistogram";

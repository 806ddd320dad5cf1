-- CreateTable
CREATE TABLE "InferenceLoadHourly" (
    "hour" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "nodePool" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "requestsPerSecond" DOUBLE PRECISION NOT NULL,
    "queueDepthAvg" DOUBLE PRECISION NOT NULL,
    "queueDepthMax" DOUBLE PRECISION NOT NULL,
    "replicas" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "InferenceLoadHourly_pkey" PRIMARY KEY ("hour","source","team","nodePool","model","modelVersion")
);

-- CreateIndex
CREATE INDEX "InferenceLoadHourly_source_hour_idx" ON "InferenceLoadHourly"("source", "hour");


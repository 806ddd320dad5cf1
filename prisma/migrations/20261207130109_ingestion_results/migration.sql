-- CreateTable
CREATE TABLE "IngestionResult" (
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "ingestionRunId" TEXT NOT NULL,
    "dataHour" TIMESTAMP(3) NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "IngestionResult_pkey" PRIMARY KEY ("source","kind")
);


-- CreateTable
CREATE TABLE "GpuPrice" (
    "cloud" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "instanceType" TEXT NOT NULL,
    "onDemandHourly" DOUBLE PRECISION NOT NULL,
    "gpuCount" INTEGER,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GpuPrice_pkey" PRIMARY KEY ("cloud","region","instanceType")
);


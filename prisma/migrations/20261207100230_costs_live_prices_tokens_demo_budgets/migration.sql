-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "budgetIsDemo" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "InferenceLoadHourly" ADD COLUMN     "generatedTokensPerSecond" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Recommendation" ADD COLUMN     "requestId" TEXT;

-- CreateTable
CREATE TABLE "PriceRefresh" (
    "cloud" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "attemptedAt" TIMESTAMP(3) NOT NULL,
    "refreshedAt" TIMESTAMP(3),
    "priceCount" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "PriceRefresh_pkey" PRIMARY KEY ("cloud","region")
);

-- AddForeignKey
ALTER TABLE "Recommendation" ADD CONSTRAINT "Recommendation_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- AlterTable
ALTER TABLE "IngestionRun" ADD COLUMN     "health" JSONB;

-- AlterTable
ALTER TABLE "Recommendation" ADD COLUMN     "requestId" TEXT;


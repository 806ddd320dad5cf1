-- AlterTable
ALTER TABLE "IngestionRun" ADD COLUMN     "health" JSONB;


-- AlterTable
ALTER TABLE "ApplyObjectResult" ADD COLUMN     "uid" TEXT;


-- AlterTable
ALTER TABLE "GitDelivery" ADD COLUMN     "prCheckedAt" TIMESTAMP(3),
ADD COLUMN     "prMergeSha" TEXT,
ADD COLUMN     "prMergedAt" TIMESTAMP(3),
ADD COLUMN     "prReadError" TEXT,
ADD COLUMN     "prState" TEXT,
ADD COLUMN     "syncCheckedAt" TIMESTAMP(3),
ADD COLUMN     "syncHealth" TEXT,
ADD COLUMN     "syncMessage" TEXT,
ADD COLUMN     "syncRevision" TEXT,
ADD COLUMN     "syncState" TEXT;


-- CreateEnum
CREATE TYPE "DeliveryMode" AS ENUM ('direct', 'git');

-- CreateEnum
CREATE TYPE "GitDeliveryState" AS ENUM ('committed', 'pr_open', 'merged', 'synced', 'failed');

-- AlterTable
ALTER TABLE "ClusterTarget" ADD COLUMN     "deliveryMode" "DeliveryMode" NOT NULL DEFAULT 'direct',
ADD COLUMN     "gitBaseBranch" TEXT NOT NULL DEFAULT 'main',
ADD COLUMN     "gitCredentialRef" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "gitHubApiUrl" TEXT,
ADD COLUMN     "gitHubRepo" TEXT,
ADD COLUMN     "gitPath" TEXT NOT NULL DEFAULT 'clusters',
ADD COLUMN     "gitRepoUrl" TEXT,
ADD COLUMN     "gitSyncRef" TEXT;

-- CreateTable
CREATE TABLE "GitDelivery" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "applyRunId" TEXT NOT NULL,
    "operation" "ApplyOperation" NOT NULL,
    "branch" TEXT NOT NULL,
    "files" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "commitSha" TEXT,
    "prNumber" INTEGER,
    "prUrl" TEXT,
    "state" "GitDeliveryState" NOT NULL,
    "reason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GitDelivery_applyRunId_key" ON "GitDelivery"("applyRunId");

-- CreateIndex
CREATE INDEX "GitDelivery_requestId_createdAt_idx" ON "GitDelivery"("requestId", "createdAt");

-- AddForeignKey
ALTER TABLE "GitDelivery" ADD CONSTRAINT "GitDelivery_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;


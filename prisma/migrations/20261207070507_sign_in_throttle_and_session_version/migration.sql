-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "LoginAttempt" ADD COLUMN     "checked" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "clientAddress" TEXT NOT NULL DEFAULT 'unknown';

-- CreateIndex
CREATE INDEX "LoginAttempt_clientAddress_at_idx" ON "LoginAttempt"("clientAddress", "at");


-- CreateEnum
CREATE TYPE "GrantSource" AS ENUM ('sso', 'manual');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastSignInAt" TIMESTAMP(3),
ADD COLUMN     "roleSource" "GrantSource" NOT NULL DEFAULT 'manual',
ADD COLUMN     "roleSsoGroup" TEXT,
ADD COLUMN     "ssoGroups" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "costLabelValues" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "source" "GrantSource" NOT NULL DEFAULT 'manual',
ADD COLUMN     "ssoGroup" TEXT;


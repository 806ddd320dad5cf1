-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ml-engineer', 'finance', 'sre', 'platform-admin');

-- CreateEnum
CREATE TYPE "TeamRole" AS ENUM ('member', 'lead');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('success', 'denied', 'failure');

-- CreateEnum
CREATE TYPE "RequestKind" AS ENUM ('gpu_cluster', 'node_pool', 'inference_scaling', 'training_job', 'backup_schedule', 'security_baseline');

-- CreateEnum
CREATE TYPE "RequestStatus" AS ENUM ('pending_approval', 'rejected', 'approved', 'applying', 'applied', 'apply_failed', 'reverted', 'cancelled');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('approved', 'rejected');

-- CreateEnum
CREATE TYPE "ApplyRunStatus" AS ENUM ('queued', 'dry_run', 'applying', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "ApplyOperation" AS ENUM ('apply', 'revert');

-- CreateEnum
CREATE TYPE "ApplyPhase" AS ENUM ('dry_run', 'apply', 'delete');

-- CreateEnum
CREATE TYPE "ApplyOutcome" AS ENUM ('created', 'configured', 'unchanged', 'deleted', 'failed');

-- CreateEnum
CREATE TYPE "DrillMode" AS ENUM ('dry_run', 'live');

-- CreateEnum
CREATE TYPE "DrillStatus" AS ENUM ('queued', 'running', 'passed', 'failed', 'aborted');

-- CreateEnum
CREATE TYPE "StepState" AS ENUM ('pending', 'running', 'waiting_for_operator', 'succeeded', 'failed', 'skipped', 'rolled_back');

-- CreateEnum
CREATE TYPE "RecommendationState" AS ENUM ('open', 'accepted', 'snoozed', 'dismissed');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT,
    "oidcSubject" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "monthlyBudgetUsd" DECIMAL(14,2),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "userId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "role" "TeamRole" NOT NULL DEFAULT 'member',

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("userId","teamId")
);

-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "success" BOOLEAN NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "outcome" "AuditOutcome" NOT NULL,
    "traceId" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ClusterTarget" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "apiServer" TEXT NOT NULL,
    "credentialRef" TEXT NOT NULL,
    "isSandbox" BOOLEAN NOT NULL DEFAULT false,
    "protectedNamespaces" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClusterTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Request" (
    "id" TEXT NOT NULL,
    "number" SERIAL NOT NULL,
    "kind" "RequestKind" NOT NULL,
    "title" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "clusterTargetId" TEXT,
    "status" "RequestStatus" NOT NULL DEFAULT 'pending_approval',
    "input" JSONB NOT NULL,
    "plan" JSONB NOT NULL,
    "planHash" TEXT NOT NULL,
    "monthlyCostUsd" DECIMAL(14,2) NOT NULL,
    "securityScore" INTEGER NOT NULL,
    "criticalFindings" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "appliedAt" TIMESTAMP(3),

    CONSTRAINT "Request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestEvent" (
    "id" BIGSERIAL NOT NULL,
    "requestId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "actorId" TEXT,
    "message" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "RequestEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "approverId" TEXT NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT NOT NULL,
    "overrideReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplyRun" (
    "id" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "operation" "ApplyOperation" NOT NULL DEFAULT 'apply',
    "status" "ApplyRunStatus" NOT NULL DEFAULT 'queued',
    "fieldManager" TEXT NOT NULL,
    "force" BOOLEAN NOT NULL DEFAULT false,
    "forceReason" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplyRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApplyObjectResult" (
    "id" BIGSERIAL NOT NULL,
    "applyRunId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "phase" "ApplyPhase" NOT NULL,
    "index" INTEGER NOT NULL,
    "apiVersion" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT,
    "name" TEXT NOT NULL,
    "outcome" "ApplyOutcome" NOT NULL,
    "httpStatus" INTEGER,
    "message" TEXT,
    "conflicts" JSONB,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplyObjectResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DrPlan" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "clusterTargetId" TEXT,
    "namespaces" TEXT[],
    "rtoMinutes" INTEGER NOT NULL,
    "rpoMinutes" INTEGER NOT NULL,
    "steps" JSONB NOT NULL,
    "healthCheckAllowList" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "allowRestoreWarnings" BOOLEAN NOT NULL DEFAULT false,
    "schedule" TEXT,
    "isTemplate" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DrPlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DrillRun" (
    "id" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "planVersion" INTEGER NOT NULL,
    "clusterTargetId" TEXT NOT NULL,
    "mode" "DrillMode" NOT NULL,
    "status" "DrillStatus" NOT NULL DEFAULT 'queued',
    "liveLockKey" TEXT,
    "startedById" TEXT,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "overrideReason" TEXT,
    "abortRequested" BOOLEAN NOT NULL DEFAULT false,
    "abortedBy" TEXT,
    "abortReason" TEXT,
    "namespaces" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "leaseUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "measuredRtoSeconds" INTEGER,
    "measuredRpoSeconds" INTEGER,
    "verdictReason" TEXT,
    "evidence" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DrillRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DrillStepResult" (
    "id" BIGSERIAL NOT NULL,
    "drillRunId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "state" "StepState" NOT NULL DEFAULT 'pending',
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "output" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "confirmedBy" TEXT,
    "confirmedAt" TIMESTAMP(3),
    "confirmNote" TEXT,

    CONSTRAINT "DrillStepResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GpuUsageHourly" (
    "hour" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "workloadType" TEXT NOT NULL,
    "nodePool" TEXT NOT NULL,
    "instanceType" TEXT NOT NULL,
    "capacityType" TEXT NOT NULL,
    "gpuHoursAllocated" DOUBLE PRECISION NOT NULL,
    "gpuHoursUsed" DOUBLE PRECISION NOT NULL,
    "utilizationAvg" DOUBLE PRECISION NOT NULL,
    "utilizationP50" DOUBLE PRECISION NOT NULL,
    "utilizationP90" DOUBLE PRECISION NOT NULL,
    "memoryUsedMiBAvg" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "memoryUsedMiBMax" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "idleGpuHours" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "gpuHoursUnder10" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "gpuHoursUnder50" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "sampleCount" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "idleCostUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "GpuUsageHourly_pkey" PRIMARY KEY ("hour","source","team","workloadType","nodePool","instanceType","capacityType")
);

-- CreateTable
CREATE TABLE "GpuUsageDaily" (
    "day" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "workloadType" TEXT NOT NULL,
    "nodePool" TEXT NOT NULL,
    "instanceType" TEXT NOT NULL,
    "capacityType" TEXT NOT NULL,
    "gpuHoursAllocated" DOUBLE PRECISION NOT NULL,
    "gpuHoursUsed" DOUBLE PRECISION NOT NULL,
    "idleGpuHours" DOUBLE PRECISION NOT NULL,
    "gpuHoursUnder10" DOUBLE PRECISION NOT NULL,
    "gpuHoursUnder50" DOUBLE PRECISION NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "memoryUsedMiBMax" DOUBLE PRECISION NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "idleCostUsd" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "GpuUsageDaily_pkey" PRIMARY KEY ("day","source","team","workloadType","nodePool","instanceType","capacityType")
);

-- CreateTable
CREATE TABLE "GpuUsageTeamDay" (
    "day" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "allocByHour" DOUBLE PRECISION[],
    "usedByHour" DOUBLE PRECISION[],

    CONSTRAINT "GpuUsageTeamDay_pkey" PRIMARY KEY ("day","source","team")
);

-- CreateTable
CREATE TABLE "CostDaily" (
    "day" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "workloadType" TEXT NOT NULL,
    "amountUsd" DOUBLE PRECISION NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'USD',

    CONSTRAINT "CostDaily_pkey" PRIMARY KEY ("day","source","service","team","workloadType")
);

-- CreateTable
CREATE TABLE "IngestionRun" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "rows" INTEGER NOT NULL DEFAULT 0,
    "rangeStart" TIMESTAMP(3),
    "rangeEnd" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "IngestionRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recommendation" (
    "id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "team" TEXT,
    "resources" JSONB NOT NULL,
    "currentMonthlyUsd" DOUBLE PRECISION NOT NULL,
    "projectedSavingsUsd" DOUBLE PRECISION NOT NULL,
    "confidence" TEXT NOT NULL,
    "effort" TEXT NOT NULL,
    "rationale" TEXT NOT NULL DEFAULT '',
    "actionItems" JSONB NOT NULL,
    "requestDraft" JSONB,
    "state" "RecommendationState" NOT NULL DEFAULT 'open',
    "snoozedUntil" TIMESTAMP(3),
    "dismissReason" TEXT,
    "stateChangedById" TEXT,
    "stateChangedAt" TIMESTAMP(3),
    "computedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Recommendation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_oidcSubject_key" ON "User"("oidcSubject");

-- CreateIndex
CREATE UNIQUE INDEX "Team_slug_key" ON "Team"("slug");

-- CreateIndex
CREATE INDEX "Membership_teamId_idx" ON "Membership"("teamId");

-- CreateIndex
CREATE INDEX "LoginAttempt_email_at_idx" ON "LoginAttempt"("email", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_targetType_targetId_idx" ON "AuditEvent"("targetType", "targetId");

-- CreateIndex
CREATE UNIQUE INDEX "ClusterTarget_name_key" ON "ClusterTarget"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Request_number_key" ON "Request"("number");

-- CreateIndex
CREATE INDEX "Request_status_createdAt_idx" ON "Request"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Request_teamId_createdAt_idx" ON "Request"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "Request_requesterId_createdAt_idx" ON "Request"("requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "RequestEvent_requestId_id_idx" ON "RequestEvent"("requestId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Approval_requestId_key" ON "Approval"("requestId");

-- CreateIndex
CREATE INDEX "ApplyRun_requestId_createdAt_idx" ON "ApplyRun"("requestId", "createdAt");

-- CreateIndex
CREATE INDEX "ApplyRun_status_idx" ON "ApplyRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "ApplyObjectResult_applyRunId_attempt_phase_index_key" ON "ApplyObjectResult"("applyRunId", "attempt", "phase", "index");

-- CreateIndex
CREATE UNIQUE INDEX "DrPlan_key_version_key" ON "DrPlan"("key", "version");

-- CreateIndex
CREATE UNIQUE INDEX "DrillRun_liveLockKey_key" ON "DrillRun"("liveLockKey");

-- CreateIndex
CREATE INDEX "DrillRun_planId_createdAt_idx" ON "DrillRun"("planId", "createdAt");

-- CreateIndex
CREATE INDEX "DrillRun_status_idx" ON "DrillRun"("status");

-- CreateIndex
CREATE UNIQUE INDEX "DrillStepResult_drillRunId_index_key" ON "DrillStepResult"("drillRunId", "index");

-- CreateIndex
CREATE INDEX "GpuUsageHourly_team_hour_idx" ON "GpuUsageHourly"("team", "hour");

-- CreateIndex
CREATE INDEX "GpuUsageHourly_hour_idx" ON "GpuUsageHourly"("hour");

-- CreateIndex
CREATE INDEX "GpuUsageDaily_source_day_idx" ON "GpuUsageDaily"("source", "day");

-- CreateIndex
CREATE INDEX "IngestionRun_source_startedAt_idx" ON "IngestionRun"("source", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Recommendation_fingerprint_key" ON "Recommendation"("fingerprint");

-- CreateIndex
CREATE INDEX "Recommendation_state_team_idx" ON "Recommendation"("state", "team");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LoginAttempt" ADD CONSTRAINT "LoginAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_clusterTargetId_fkey" FOREIGN KEY ("clusterTargetId") REFERENCES "ClusterTarget"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestEvent" ADD CONSTRAINT "RequestEvent_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplyRun" ADD CONSTRAINT "ApplyRun_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "Request"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApplyObjectResult" ADD CONSTRAINT "ApplyObjectResult_applyRunId_fkey" FOREIGN KEY ("applyRunId") REFERENCES "ApplyRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrPlan" ADD CONSTRAINT "DrPlan_clusterTargetId_fkey" FOREIGN KEY ("clusterTargetId") REFERENCES "ClusterTarget"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillRun" ADD CONSTRAINT "DrillRun_planId_fkey" FOREIGN KEY ("planId") REFERENCES "DrPlan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillRun" ADD CONSTRAINT "DrillRun_clusterTargetId_fkey" FOREIGN KEY ("clusterTargetId") REFERENCES "ClusterTarget"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DrillStepResult" ADD CONSTRAINT "DrillStepResult_drillRunId_fkey" FOREIGN KEY ("drillRunId") REFERENCES "DrillRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;


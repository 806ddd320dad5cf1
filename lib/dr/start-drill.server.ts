import "server-only";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { decide, type PortalUser } from "@/lib/auth/permissions";
import { getPrisma, type Tx } from "@/lib/db/prisma.server";
import { DomainError, type DomainErrorCode } from "@/lib/errors/domain-error";
import { enqueueJob } from "@/lib/jobs/queue.server";
import { drillJobBudgetSeconds } from "./job-budget";
import {
  clustersTouchedByPlan,
  liveLockKey,
  namespacesTouchedByPlan,
  protectedNamespacesTouched,
  renderDryRun,
  type DryRunLine,
} from "./describe-step";
import { planFromRow } from "./plan-rows";
import { drStep, recoveryClusterIssue, startDrillInput, type StartDrillInput } from "./schema";

// Starts a drill: dry run by default; a live run needs the drill.run-live permission and a confirmation that
// names the cluster, refuses protected namespaces unless an admin overrides with a reason, and holds the one
// live lock per plan key and cluster. The run is a background job ("drill.run").

export interface StartDrillResult {
  runId: string;
  mode: "dry_run" | "live";
  planKey: string;
  planVersion: number;
  clusterName: string;
  namespaces: string[];
  steps: DryRunLine[];
}

export interface StartDrillOptions {
  /** Who starts it; null for the scheduler. */
  actor: PortalUser | null;
  input: StartDrillInput;
  traceId?: string;
  trigger?: "manual" | "schedule";
  /** Tests and the scheduler may enqueue differently; defaults to the pg-boss queue. */
  enqueue?: (runId: string, budgetSeconds: number) => Promise<void>;
}

class NamespaceClash extends Error {}

export const enqueueDrillRun = async (runId: string, budgetSeconds: number, singletonKey = runId) => {
  await enqueueJob("drill.run", { drillRunId: runId }, { singletonKey, expireInSeconds: budgetSeconds });
};

async function deny(
  user: PortalUser | null,
  traceId: string | undefined,
  targetId: string,
  code: DomainErrorCode,
  message: string,
  details: Record<string, unknown>,
): Promise<never> {
  await recordAudit(getPrisma(), {
    actor: user ? { id: user.id, email: user.email } : null,
    action: "drill.start",
    targetType: "dr_plan",
    targetId,
    outcome: "denied",
    traceId,
    details: { ...details, reason: message },
  });
  throw new DomainError(code, message);
}

export async function startDrill(options: StartDrillOptions): Promise<StartDrillResult> {
  const user = options.actor;
  const input = startDrillInput.parse(options.input);
  const db = getPrisma();
  const { traceId } = options;
  const scheduled = options.trigger === "schedule";
  if (!scheduled) {
    const action = input.mode === "live" ? "drill.run-live" : "drill.run-dry";
    const decision = decide(user, action);
    if (!decision.allowed)
      await deny(
        user,
        traceId,
        input.planKey,
        "forbidden",
        `You may not start a ${input.mode === "live" ? "live" : "dry-run"} drill (${decision.reason}).`,
        { mode: input.mode },
      );
  }

  const planRow = await db.drPlan.findFirst({
    where: { key: input.planKey, ...(input.planVersion ? { version: input.planVersion } : {}) },
    orderBy: { version: "desc" },
  });
  if (!planRow)
    throw new DomainError(
      "not_found",
      `DR plan ${input.planKey}${input.planVersion ? ` version ${input.planVersion}` : ""} was not found`,
    );
  const clusterTargetId = input.clusterTargetId ?? planRow.clusterTargetId;
  if (!clusterTargetId)
    throw new DomainError(
      "validation_failed",
      `plan ${planRow.key} is not bound to a cluster: choose clusterTargetId`,
      [{ path: "clusterTargetId", message: "choose the cluster to drill against" }],
    );
  const target = await db.clusterTarget.findUnique({ where: { id: clusterTargetId } });
  if (!target) throw new DomainError("not_found", `cluster target ${clusterTargetId} was not found`);
  const plan = planFromRow(planRow);
  const namespaces = namespacesTouchedByPlan(plan);
  // The run may be pointed at another cluster than the plan's: its restore must still land elsewhere.
  const recoveryIssues = plan.steps.flatMap((s, i) => {
    const issue = s.type === "create_restore" ? recoveryClusterIssue(plan.key, target.id, s.clusterTargetId) : null;
    return issue ? [{ path: `steps.${i}.clusterTargetId`, message: issue }] : [];
  });
  if (recoveryIssues.length > 0)
    throw new DomainError(
      "validation_failed",
      `plan ${planRow.key} cannot be drilled on ${target.name}: ${recoveryIssues[0]?.message}`,
      recoveryIssues,
    );

  let overrideReason: string | null = null;
  if (input.mode === "live") {
    if (!scheduled && input.confirmation?.trim() !== target.name) {
      throw new DomainError(
        "confirmation_required",
        `type the cluster name "${target.name}" to confirm a live drill touching ${namespaces.join(", ")}`,
        [{ path: "confirmation", message: `must be exactly ${target.name}` }],
      );
    }
    const guarded = protectedNamespacesTouched(plan, target.protectedNamespaces);
    if (guarded.length > 0) {
      if (!input.overrideProtectedReason) {
        await deny(
          user,
          traceId,
          planRow.key,
          "protected_namespaces",
          `the live drill would touch protected namespaces ${guarded.join(", ")} on ${target.name}: an admin may override with a reason`,
          { guarded, cluster: target.name },
        );
      }
      const may = decide(user, "drill.override-protected");
      if (!may.allowed)
        await deny(
          user,
          traceId,
          planRow.key,
          "forbidden",
          `only an admin may override protected namespaces (${may.reason})`,
          { guarded, cluster: target.name },
        );
      overrideReason = input.overrideProtectedReason!;
    }
  }

  const actor = user ? { id: user.id, email: user.email } : null;
  let runId: string;
  let clash: { id: string; planKey: string; namespaces: string[]; cluster: string } | null = null;
  const clusters = clustersTouchedByPlan(plan.steps, target.id);
  try {
    runId = await db.$transaction(async (tx: Tx) => {
      if (input.mode === "live") {
        // Two live drills of different plans must not act on the same namespaces of a cluster at once (one restores
        // what the other deletes), on any cluster either touches: a cluster_failure run also acts on its recovery
        // cluster. Serialised per cluster (locks in sorted order) so two starts cannot both pass the check.
        for (const id of clusters) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`drill-live:${id}`}))`;
        const others = await tx.drillRun.findMany({
          where: {
            mode: "live",
            status: { in: ["queued", "running"] },
            namespaces: { hasSome: namespaces },
            // The same plan on the same cluster is refused by the live lock; the same plan from another primary
            // can still restore onto the same standby, so it is checked here like any other plan.
            OR: [{ plan: { key: { not: planRow.key } } }, { clusterTargetId: { not: target.id } }],
          },
          select: { id: true, namespaces: true, clusterTargetId: true, plan: { select: { key: true, steps: true } } },
        });
        for (const other of others) {
          const theirs = clustersTouchedByPlan(drStep.array().parse(other.plan.steps), other.clusterTargetId);
          const shared = clusters.find((c) => theirs.includes(c));
          if (!shared) continue;
          const sharedName =
            shared === target.id
              ? target.name
              : ((await tx.clusterTarget.findUnique({ where: { id: shared }, select: { name: true } }))?.name ??
                shared);
          clash = {
            id: other.id,
            planKey: other.plan.key,
            namespaces: other.namespaces.filter((ns) => namespaces.includes(ns)),
            cluster: sharedName,
          };
          throw new NamespaceClash();
        }
      }
      const run = await tx.drillRun.create({
        data: {
          planId: planRow.id,
          planVersion: planRow.version,
          clusterTargetId: target.id,
          mode: input.mode,
          startedById: user?.id ?? null,
          trigger: options.trigger ?? "manual",
          overrideReason,
          namespaces,
          liveLockKey: input.mode === "live" ? liveLockKey(planRow.key, target.id) : null,
          steps: { create: plan.steps.map((s, index) => ({ index, name: s.name, type: s.type })) },
        },
      });
      await recordAudit(tx, {
        actor,
        action: "drill.start",
        targetType: "drill_run",
        targetId: run.id,
        outcome: "success",
        traceId,
        details: {
          planKey: planRow.key,
          planVersion: planRow.version,
          mode: input.mode,
          cluster: target.name,
          namespaces,
          trigger: options.trigger ?? "manual",
        },
      });
      if (overrideReason) {
        await recordAudit(tx, {
          actor,
          action: "drill.override-protected",
          targetType: "drill_run",
          targetId: run.id,
          outcome: "success",
          traceId,
          details: {
            reason: overrideReason,
            guarded: protectedNamespacesTouched(plan, target.protectedNamespaces),
            cluster: target.name,
          },
        });
      }
      return run.id;
    });
  } catch (error) {
    if (error instanceof NamespaceClash && clash) {
      const c = clash as { id: string; planKey: string; namespaces: string[]; cluster: string };
      await deny(
        user,
        traceId,
        planRow.key,
        "namespace_clash",
        `live drill ${c.id} of plan ${c.planKey} is active on ${c.cluster} in ${c.namespaces.join(", ")}: wait for it to finish or abort it before drilling the same namespaces`,
        { cluster: c.cluster, activeRunId: c.id, activePlanKey: c.planKey, namespaces: c.namespaces },
      );
    }
    if ((error as { code?: string }).code === "P2002") {
      const active = await db.drillRun.findFirst({
        where: { liveLockKey: liveLockKey(planRow.key, target.id) },
        select: { id: true },
      });
      await deny(
        user,
        traceId,
        planRow.key,
        "conflict",
        `a live drill of ${planRow.key} on ${target.name} is already active${active ? ` (run ${active.id})` : ""}: wait for it to finish or abort it`,
        { cluster: target.name, activeRunId: active?.id },
      );
    }
    throw error;
  }
  await (options.enqueue ?? enqueueDrillRun)(runId, drillJobBudgetSeconds(plan.steps));
  return {
    runId,
    mode: input.mode,
    planKey: planRow.key,
    planVersion: planRow.version,
    clusterName: target.name,
    namespaces,
    steps: renderDryRun(plan),
  };
}

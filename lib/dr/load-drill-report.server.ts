import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";
import type { ReportInput } from "./drill-report";
import { toStepRecords } from "./finish-drill.server";
import { parseStoredJson, storedEvidenceSchema } from "./stored-json";

/** The facts of a run's report (Markdown or HTML), generated at `now`. */
export async function loadDrillReport({
  actor,
  runId,
  now: generatedAt,
  traceId,
}: {
  actor: PortalUser;
  runId: string;
  now: Date;
  traceId?: string;
}): Promise<ReportInput> {
  await authorize(actor, "drill.read", {}, traceId);
  const run = await getPrisma().drillRun.findUnique({
    where: { id: runId },
    include: { plan: true, clusterTarget: true, steps: { orderBy: { index: "asc" } } },
  });
  if (!run) throw new DomainError("not_found", `drill run ${runId} was not found`);
  const startedBy = run.startedById
    ? ((await getPrisma().user.findUnique({ where: { id: run.startedById }, select: { email: true } }))?.email ??
      run.startedById)
    : null;
  const evidence = parseStoredJson(storedEvidenceSchema, run.evidence, "DrillRun.evidence");
  return {
    plan: {
      key: run.plan.key,
      name: run.plan.name,
      version: run.planVersion,
      rtoMinutes: run.plan.rtoMinutes,
      rpoMinutes: run.plan.rpoMinutes,
      allowRestoreWarnings: run.plan.allowRestoreWarnings,
    },
    run: {
      id: run.id,
      mode: run.mode,
      status: run.status,
      trigger: run.trigger,
      startedBy,
      clusterName: run.clusterTarget.name,
      namespaces: run.namespaces,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      overrideReason: run.overrideReason,
      verdictReason: run.verdictReason,
      measuredRtoSeconds: run.measuredRtoSeconds,
      measuredRpoSeconds: run.measuredRpoSeconds,
      rtoBasis: evidence.rtoBasis,
      rpoBasis: evidence.rpoBasis,
      worstCaseRpoSeconds: evidence.worstCaseRpoSeconds ?? null,
      worstCaseRpoBasis: evidence.worstCaseRpoBasis,
    },
    steps: toStepRecords(run.steps),
    evidence: {
      restores: evidence.restores ?? [],
      healthChecks: evidence.healthChecks ?? [],
      rollouts: evidence.rollouts ?? [],
      notes: evidence.notes ?? [],
      canaries: evidence.canaries ?? [],
      canaryChecks: evidence.canaryChecks ?? [],
      rollForwards: evidence.rollForwards ?? [],
      cleanups: evidence.cleanups ?? [],
      ...(evidence.backup ? { backup: evidence.backup } : {}),
      ...(evidence.failure ? { failure: evidence.failure } : {}),
    },
    generatedAt,
  };
}

import "server-only";
import { authorize } from "@/lib/auth/authorize.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { DomainError } from "@/lib/errors/domain-error";
import { parseStoredJson, storedEvidenceSchema } from "./stored-json";

/** One run with its steps, as GET /api/v1/drills/{id} answers it (polled by the run page). */
export async function getDrillRun({ actor, runId, traceId }: { actor: PortalUser; runId: string; traceId?: string }) {
  await authorize(actor, "drill.read", {}, traceId);
  const run = await getPrisma().drillRun.findUnique({
    where: { id: runId },
    include: {
      plan: true,
      clusterTarget: { select: { id: true, name: true, isSandbox: true } },
      steps: { orderBy: { index: "asc" } },
    },
  });
  if (!run) throw new DomainError("not_found", `drill run ${runId} was not found`);
  const evidence = parseStoredJson(storedEvidenceSchema, run.evidence, "DrillRun.evidence");
  return {
    id: run.id,
    plan: {
      key: run.plan.key,
      name: run.plan.name,
      version: run.planVersion,
      rtoMinutes: run.plan.rtoMinutes,
      rpoMinutes: run.plan.rpoMinutes,
      allowRestoreWarnings: run.plan.allowRestoreWarnings,
    },
    cluster: run.clusterTarget,
    namespaces: run.namespaces,
    mode: run.mode,
    status: run.status,
    trigger: run.trigger,
    abortRequested: run.abortRequested,
    abortedBy: run.abortedBy,
    overrideReason: run.overrideReason,
    attempt: run.attempt,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    measuredRtoSeconds: run.measuredRtoSeconds,
    measuredRpoSeconds: run.measuredRpoSeconds,
    verdictReason: run.verdictReason,
    evidence,
    steps: run.steps.map((s) => ({
      index: s.index,
      name: s.name,
      type: s.type,
      state: s.state,
      startedAt: s.startedAt?.toISOString() ?? null,
      finishedAt: s.finishedAt?.toISOString() ?? null,
      output: s.output,
      error: s.error,
      confirmedBy: s.confirmedBy,
      confirmedAt: s.confirmedAt?.toISOString() ?? null,
    })),
  };
}

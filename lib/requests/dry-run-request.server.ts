import "server-only";
import { DomainError } from "@/lib/errors/domain-error";
import { applyObjects } from "@/lib/k8s/apply-objects.server";
import { requireClusterClient } from "@/lib/clusters/cluster-client.server";
import { parseStoredManifests } from "./stored-plan";
import { portalFieldManager } from "./field-manager.server";
import { protectedNamespaceFieldErrors } from "./request-namespaces";
import { getPrisma } from "@/lib/db/prisma.server";
import { refOf } from "@/lib/k8s/object-ref";
import { nameConflicts } from "./name-conflicts";
import { checkRequestPreconditions } from "./request-preconditions.server";
import { loadRequestOwnership } from "./request-ownership.server";
import { clusterOf, loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";

/** The other requests on the same cluster that are waiting for approval or being applied, with their objects. */
async function loadOpenRequests(request: { id: string; clusterTargetId: string | null }) {
  if (!request.clusterTargetId) return [];
  const rows = await getPrisma().request.findMany({
    where: {
      clusterTargetId: request.clusterTargetId,
      id: { not: request.id },
      status: { in: ["pending_approval", "approved", "applying"] },
    },
    select: { number: true, status: true, plan: true },
  });
  return rows.map((r) => ({ number: r.number, status: r.status, objects: parseStoredManifests(r.plan) }));
}

/** Server-side dry-run of every object against the live cluster, with the diff: what approval would change. */
export async function dryRunRequest({ actor: user, requestId: id, traceId }: RequestOperationInput) {
  const request = await loadVisibleRequest(user, id, traceId);
  const cluster = clusterOf(request);
  // A request stored before submit checked namespaces must not reach the cluster either, not even as a dry run.
  const guarded = protectedNamespaceFieldErrors(request.input, cluster);
  if (guarded.length) throw new DomainError("protected_namespace", guarded.map((f) => f.message).join("; "), guarded);
  const plan = { deployment_manifests: parseStoredManifests(request.plan) };
  const client = requireClusterClient(cluster);
  // The apply job's pre-conditions, run here too, so what would stop the apply is seen before the approval.
  const ownership = await loadRequestOwnership(getPrisma(), request, plan.deployment_manifests.map(refOf));
  const checked = await checkRequestPreconditions(client, plan.deployment_manifests, ownership);
  if (!checked.reachability.ok)
    return {
      ok: false,
      cluster: { name: cluster.name, isSandbox: cluster.isSandbox },
      preconditions: checked,
      results: [],
    };
  const report = await applyObjects(client, plan.deployment_manifests, {
    fieldManager: portalFieldManager(),
    dryRun: true,
  });
  // Names already taken (lib/requests/name-conflicts.ts): a workload taken over stops the approval; another object
  // changed is a warning (a follow-up request may mean to change it).
  const conflicts = nameConflicts({
    objects: plan.deployment_manifests,
    dryRun: report.dryRun,
    ownership,
    openRequests: await loadOpenRequests(request),
  });
  const blocking = conflicts.some((c) => c.blocking);
  const preconditions = conflicts.length
    ? {
        ...checked,
        ok: checked.ok && !blocking,
        verdict: blocking ? ("fail" as const) : checked.verdict === "fail" ? ("fail" as const) : ("warning" as const),
        summary: `${conflicts.map((c) => c.message).join("; ")}. ${checked.summary}`,
        conflicts,
      }
    : checked;
  return {
    ok: report.ok && preconditions.ok,
    cluster: { name: cluster.name, isSandbox: cluster.isSandbox },
    preconditions,
    results: report.dryRun.map((r) => ({
      ref: r.ref,
      outcome: r.outcome,
      message: r.message,
      changes: r.changes ?? [],
      conflicts: r.failure?.conflicts ?? [],
    })),
  };
}

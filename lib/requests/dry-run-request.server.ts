import "server-only";
import { DomainError } from "@/lib/errors/domain-error";
import { applyObjects } from "@/lib/k8s/apply-objects.server";
import { requireClusterClient } from "@/lib/clusters/cluster-client.server";
import { parseStoredManifests } from "./stored-plan";
import { portalFieldManager } from "./field-manager.server";
import { protectedNamespaceFieldErrors } from "./request-namespaces";
import { getPrisma } from "@/lib/db/prisma.server";
import { refOf } from "@/lib/k8s/object-ref";
import { objectKey } from "./object-identity";
import { checkRequestPreconditions, ownershipConflict } from "./request-preconditions.server";
import { loadRequestOwnership } from "./request-ownership.server";
import { clusterOf, loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";

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
  // Another request's object that this plan would change (same kind, namespace and name): applying would overwrite
  // it, and reverting either request would delete the other's. A workload taken over stops the approval; another
  // object changed is a warning (a follow-up request may mean to change it). Objects the plan applies unchanged (a
  // shared Namespace) are shared, not taken over.
  const conflicts = report.dryRun.flatMap((r) => {
    const owners = ownership.others.get(objectKey(r.ref));
    if (!owners?.length || ownership.own.has(objectKey(r.ref)) || r.outcome === "unchanged" || r.outcome === "created")
      return [];
    return [ownershipConflict(r.ref, owners)];
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

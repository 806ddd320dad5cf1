import "server-only";
import { DomainError } from "@/lib/errors/domain-error";
import { applyObjects } from "@/lib/k8s/apply-objects.server";
import { requireClusterClient } from "@/lib/clusters/cluster-client.server";
import { parseStoredManifests } from "./stored-plan";
import { portalFieldManager } from "./field-manager.server";
import { protectedNamespaceFieldErrors } from "./request-namespaces";
import { checkRequestPreconditions } from "./request-preconditions.server";
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
  const preconditions = await checkRequestPreconditions(client, plan.deployment_manifests);
  if (!preconditions.reachability.ok)
    return { ok: false, cluster: { name: cluster.name, isSandbox: cluster.isSandbox }, preconditions, results: [] };
  const report = await applyObjects(client, plan.deployment_manifests, {
    fieldManager: portalFieldManager(),
    dryRun: true,
  });
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

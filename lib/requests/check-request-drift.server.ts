import "server-only";
import { getPrisma } from "@/lib/db/prisma.server";
import { conflict } from "@/lib/errors/domain-error";
import { checkDrift } from "@/lib/k8s/drift.server";
import { requireClusterClient } from "@/lib/clusters/cluster-client.server";
import type { PlanOutput } from "@/lib/plans/generate-plan";
import { raiseNotification } from "@/lib/notifications/raise-notification.server";
import { refOf } from "@/lib/k8s/object-ref";
import { checkMonitoringConfigured, checkObjectsExist, checkWorkloadsReady } from "@/lib/k8s/postconditions.server";
import { postconditionMessage, postconditionReport } from "@/lib/k8s/postcondition-report";
import { parseStoredManifests } from "./stored-plan";
import { addRequestEvent } from "./request-events.server";
import { objectKey } from "./object-identity";
import { clusterOf, loadVisibleRequest, type RequestOperationInput } from "./load-visible-request.server";

/** Compares the live objects with the applied plan. */
export async function checkRequestDrift({ actor: user, requestId: id, traceId }: RequestOperationInput) {
  const request = await loadVisibleRequest(user, id, traceId);
  if (!["applied", "apply_failed"].includes(request.status))
    throw conflict(`REQ-${request.number} is ${request.status.replace(/_/g, " ")}: drift is checked after an apply`);
  const planned = parseStoredManifests(request.plan);
  // A failed apply stopped part-way (or before anything): only what it did apply can have drifted. An applied
  // request applied every object.
  const applied = request.status === "applied" ? planned : await objectsApplied(request.id, planned);
  if (!applied.length) {
    await addRequestEvent(getPrisma(), request.id, {
      type: "drift.checked",
      actorId: user.id,
      message: `${user.name} checked drift: nothing was applied yet, nothing to compare`,
    });
    return {
      drifted: false,
      nothingApplied: true,
      compared: 0,
      planned: planned.length,
      objects: [],
      postconditions: [],
    };
  }
  const client = requireClusterClient(clusterOf(request));
  const refs = applied.map(refOf);
  // The post-conditions the apply recorded go stale (pods become ready after the apply finished): re-read them too.
  const [report, exist, ready, monitoring] = await Promise.all([
    checkDrift(client, applied),
    checkObjectsExist(client, refs),
    checkWorkloadsReady(client, refs),
    checkMonitoringConfigured(client, applied),
  ]);
  const postconditions = postconditionReport({ exist, ready, monitoring });
  const partly =
    applied.length < planned.length
      ? ` (the ${applied.length} of ${planned.length} objects the failed apply applied)`
      : "";
  const message = `${user.name} checked drift${partly}: ${report.drifted ? "the cluster differs from what was applied" : "in sync"}. ${postconditionMessage(postconditions)}`;
  await getPrisma().$transaction(async (tx) => {
    await addRequestEvent(tx, request.id, { type: "drift.checked", actorId: user.id, message });
    if (report.drifted) {
      await raiseNotification(tx, {
        event: "drift.found",
        teamId: request.teamId,
        title: `REQ-${request.number} ${request.title}: the cluster differs from what was applied`,
        summary: message,
        path: `/requests/${request.id}`,
        data: { requestId: request.id, requestNumber: request.number, compared: applied.length },
      });
    }
  });
  return { ...report, nothingApplied: false, compared: applied.length, planned: planned.length, postconditions };
}

/** The plan's objects that some apply run of the request did apply (created, configured or unchanged). */
async function objectsApplied(requestId: string, planned: PlanOutput["deployment_manifests"]) {
  const results = await getPrisma().applyObjectResult.findMany({
    where: {
      applyRun: { requestId, operation: "apply" },
      phase: "apply",
      outcome: { in: ["created", "configured", "unchanged"] },
    },
    select: { apiVersion: true, kind: true, namespace: true, name: true },
  });
  const keys = new Set(results.map(objectKey));
  return planned.filter((o) => keys.has(objectKey(refOf(o))));
}

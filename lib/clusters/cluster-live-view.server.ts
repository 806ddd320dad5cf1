import "server-only";
// The live cluster view: read-only, through the same server-side client and credentials as applies
// (clientForCluster), so what it shows is what the worker would see. Nothing here writes to the cluster.
import { authorize } from "@/lib/auth/authorize.server";
import { type PortalUser, visibleTeamIds } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { summarizeFailure } from "@/lib/k8s/api-errors";
import {
  type ClusterInventory,
  type LiveState,
  type RequestObjects,
  liveStateOf,
  summarizeInventory,
} from "@/lib/k8s/cluster-inventory";
import { readLiveObjects } from "@/lib/k8s/drift.server";
import { type ObjectRef, refKey, refOfRow } from "@/lib/k8s/object-ref";
import { callWithRetries } from "@/lib/k8s/retry-policy";
import { readVeleroStatus, type VeleroStatus } from "@/lib/dr/kube-readers";
import { clientForCluster } from "./cluster-client.server";
import { withinTime } from "./time-box";

/** One attempt each: a page waits for nobody's backoff; the view says what failed and the person reloads. */
const once = { policy: { maxAttempts: 1 } };

export type ClusterLiveView =
  | { reachable: true; inventory: ClusterInventory; requests: RequestObjects[] }
  | { reachable: false; reason: string; requests: RequestObjects[] };

export interface ReadClusterLiveViewOptions {
  actor: PortalUser;
  clusterId: string;
  /** How many of the newest applied requests to read live (each is one GET per object). */
  requestLimit?: number;
  traceId?: string;
}

/** The cluster row (never its credentials), or null when there is no such cluster. */
export function findClusterTarget(clusterId: string) {
  return getPrisma().clusterTarget.findUnique({
    where: { id: clusterId },
    select: { id: true, name: true, apiServer: true, credentialRef: true, isSandbox: true, createdAt: true },
  });
}

/** The objects each visible request applied to the cluster: the apply phase's created/configured/unchanged rows. */
async function appliedObjectsByRequest(actor: PortalUser, clusterId: string, limit: number) {
  const teams = visibleTeamIds(actor, "request.read");
  const requests = await getPrisma().request.findMany({
    where: {
      clusterTargetId: clusterId,
      status: { in: ["applied", "apply_failed", "applying"] },
      ...(teams ? { teamId: { in: teams } } : {}),
    },
    orderBy: { updatedAt: "desc" },
    take: limit,
    select: {
      id: true,
      number: true,
      title: true,
      status: true,
      team: { select: { name: true } },
      applyRuns: {
        where: { operation: "apply" },
        select: {
          results: {
            where: { phase: "apply", outcome: { in: ["created", "configured", "unchanged"] } },
            select: { apiVersion: true, kind: true, namespace: true, name: true, index: true },
          },
        },
      },
    },
  });
  return requests.map((r) => {
    const refs = new Map<string, { ref: ObjectRef; index: number }>();
    for (const row of r.applyRuns.flatMap((run) => run.results)) {
      const ref = refOfRow(row);
      if (!refs.has(refKey(ref))) refs.set(refKey(ref), { ref, index: row.index });
    }
    return { request: r, refs: [...refs.values()].sort((a, b) => a.index - b.index).map((e) => e.ref) };
  });
}

export async function readClusterLiveView({
  actor,
  clusterId,
  requestLimit = 10,
  traceId,
}: ReadClusterLiveViewOptions): Promise<ClusterLiveView | null> {
  await authorize(actor, "cluster.read", {}, traceId);
  const target = await findClusterTarget(clusterId);
  if (!target) return null;
  const applied = await appliedObjectsByRequest(actor, clusterId, requestLimit);
  const withoutLive = (state: LiveState, detail: string) =>
    applied.map(({ request, refs }) => ({
      requestId: request.id,
      number: request.number,
      title: request.title,
      status: request.status,
      teamName: request.team.name,
      objects: refs.map((ref) => ({ ref, state, detail })),
    }));
  const made = clientForCluster(target);
  if (!made.ok)
    return { reachable: false, reason: made.message, requests: withoutLive("unknown", "cluster not reachable") };
  const { client } = made;
  const retry = { ...once, knownSecrets: client.knownSecrets };
  const [nodes, pods, events] = await Promise.all([
    callWithRetries(() => client.core.listNode(), retry),
    // Finished pods hold no GPUs; real clusters keep thousands of them.
    callWithRetries(
      () => client.core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
      retry,
    ),
    callWithRetries(() => client.core.listEventForAllNamespaces({ fieldSelector: "involvedObject.kind=Pod" }), retry),
  ]);
  if (!nodes.ok)
    return {
      reachable: false,
      reason: `cluster "${target.name}" (${target.apiServer}) could not be read: ${summarizeFailure(nodes.failure)}`,
      requests: withoutLive("unknown", "cluster not reachable"),
    };
  const inventory = summarizeInventory(
    nodes.value.items,
    pods.ok ? pods.value.items : [],
    events.ok ? events.value.items : [],
  );
  const requests = await Promise.all(
    applied.map(async ({ request, refs }): Promise<RequestObjects> => {
      const live = await readLiveObjects(client, refs, once);
      return {
        requestId: request.id,
        number: request.number,
        title: request.title,
        status: request.status,
        teamName: request.team.name,
        objects: live.map((entry) => {
          if (entry.found === "unknown")
            return { ref: entry.ref, state: "unknown" as const, detail: summarizeFailure(entry.failure) };
          if (!entry.found) return { ref: entry.ref, state: "missing" as const, detail: "not in the cluster" };
          return { ref: entry.ref, ...liveStateOf(entry.live) };
        }),
      };
    }),
  );
  return { reachable: true, inventory, requests };
}

/** GPU totals and waiting pods of one cluster, for the home page; the reason when it cannot be read. */
export type ClusterGpuSummary =
  | { reachable: true; totals: ClusterInventory["totals"]; pendingGpuPods: number }
  | { reachable: false; reason: string };

/**
 * GPU totals and waiting pods of one cluster, for the home page and the clusters list; the reason when it cannot be
 * read, or has not answered within `timeoutMs` (a list of clusters waits for no unreachable one).
 */
export async function readClusterGpuSummary({
  actor,
  target,
  traceId,
  timeoutMs = 3000,
}: {
  actor: PortalUser;
  target: { id: string; name: string };
  traceId?: string;
  timeoutMs?: number;
}): Promise<ClusterGpuSummary> {
  await authorize(actor, "cluster.read", {}, traceId);
  const row = await findClusterTarget(target.id);
  if (!row) return { reachable: false, reason: `cluster "${target.name}" is no longer registered` };
  const made = clientForCluster(row);
  if (!made.ok) return { reachable: false, reason: made.message };
  const retry = { ...once, knownSecrets: made.client.knownSecrets };
  const read = Promise.all([
    callWithRetries(() => made.client.core.listNode(), retry),
    callWithRetries(
      () => made.client.core.listPodForAllNamespaces({ fieldSelector: "status.phase!=Succeeded,status.phase!=Failed" }),
      retry,
    ),
  ]);
  const answer = await withinTime(read, timeoutMs, () => null);
  if (!answer) return { reachable: false, reason: `no answer within ${timeoutMs / 1000} s` };
  const [nodes, pods] = answer;
  if (!nodes.ok) return { reachable: false, reason: summarizeFailure(nodes.failure) };
  const inventory = summarizeInventory(nodes.value.items, pods.ok ? pods.value.items : [], []);
  return { reachable: true, totals: inventory.totals, pendingGpuPods: inventory.pendingGpuPods.length };
}

interface ClusterBackups {
  cluster: { id: string; name: string };
  /** Why the backups could not be listed (unreachable, Velero not installed, no answer in time). */
  error: string | null;
  backups: Array<VeleroStatus & { includedNamespaces: string[] }>;
}

/**
 * The one reader of each cluster's Velero Backups, for the home page and the drills page alike: read-only through
 * the cluster's client, one attempt, and at most `timeoutMs` per cluster so an unreachable one holds no page.
 */
export async function readClusterBackups(
  targets: readonly { id: string; name: string }[],
  options: { timeoutMs?: number; veleroNamespace?: string } = {},
): Promise<ClusterBackups[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  return Promise.all(
    targets.map(async (target): Promise<ClusterBackups> => {
      const cluster = { id: target.id, name: target.name };
      const row = await findClusterTarget(target.id);
      const made = row ? clientForCluster(row) : { ok: false as const, message: "no longer registered" };
      if (!made.ok) return { cluster, error: made.message, backups: [] };
      let timer: NodeJS.Timeout | undefined;
      const listed = await Promise.race([
        callWithRetries(() => made.client.objects.list("velero.io/v1", "Backup", options.veleroNamespace ?? "velero"), {
          ...once,
          knownSecrets: made.client.knownSecrets,
        }),
        new Promise<{ ok: false; timeout: true }>((resolve) => {
          timer = setTimeout(() => resolve({ ok: false, timeout: true }), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      if (!listed.ok) {
        const why =
          "timeout" in listed
            ? `no answer within ${timeoutMs / 1000} s`
            : listed.failure.kind === "unknown_kind"
              ? "Velero is not installed in this cluster"
              : listed.failure.message;
        return { cluster, error: why, backups: [] };
      }
      const backups = listed.value.items.map((o) => ({
        ...readVeleroStatus(o),
        includedNamespaces: (o as { spec?: { includedNamespaces?: string[] } }).spec?.includedNamespaces ?? [],
      }));
      return { cluster, error: null, backups };
    }),
  );
}

/** The newest Velero backups of the given clusters, newest first; per cluster, why they could not be listed. */
export async function readNewestBackups({
  actor,
  targets,
  limit = 5,
  traceId,
}: {
  actor: PortalUser;
  targets: readonly { id: string; name: string }[];
  limit?: number;
  traceId?: string;
}) {
  await authorize(actor, "cluster.read", {}, traceId);
  const results = await readClusterBackups(targets);
  const backups = results
    .flatMap((r) =>
      r.backups.map((b) => ({
        cluster: r.cluster,
        name: b.name,
        phase: b.phase ?? "New",
        namespaces: b.includedNamespaces ?? [],
        completedAt: b.completedAt ?? null,
        startedAt: b.startedAt ?? b.createdAt ?? null,
        warnings: b.warnings,
        errors: b.errors,
      })),
    )
    .sort((a, b) => (b.startedAt ?? "").localeCompare(a.startedAt ?? ""))
    .slice(0, limit);
  return { backups, errors: results.filter((r) => r.error).map((r) => ({ cluster: r.cluster, message: r.error! })) };
}

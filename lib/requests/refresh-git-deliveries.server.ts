import "server-only";
// What happens to a git delivery after its push, as the worker reads it: whether its GitHub pull request was merged
// (and the commit the merge made) or closed, and whether the cluster's Argo CD Application / Flux Kustomization has
// synced it. Read after each delivery and then every minute (the gitops.refresh job) until the delivery is synced
// or a month old, and stored on the GitDelivery row: the request page shows what was stored and when, so a page
// load never waits on GitHub or the cluster, and a read that fails is stored with its reason instead of thrown.
import { getPrisma } from "@/lib/db/prisma.server";
import { clientForCluster } from "@/lib/clusters/cluster-client.server";
import { readLiveObjects } from "@/lib/k8s/drift.server";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { commitContains, GitDeliveryError, gitTokenOf } from "@/lib/gitops/git-repository.server";
import { commitContainsOnGitHub, readPullRequest } from "@/lib/gitops/github-pull-request.server";
import {
  parseSyncRef,
  revisionCommit,
  syncedRevisionOf,
  syncStatusOf,
  type SyncStatus,
} from "@/lib/gitops/sync-status";
import { logger } from "@/lib/observability/logger";

/** Deliveries older than this are no longer read: a pull request nobody merged in a month is left as last seen. */
const FOLLOW_FOR_MS = 30 * 24 * 3600 * 1000;

interface SyncCluster {
  name: string;
  apiServer: string;
  credentialRef: string;
  gitSyncRef: string | null;
  gitRepoUrl: string | null;
  gitBaseBranch: string;
  gitHubRepo: string | null;
  gitHubApiUrl: string | null;
  gitCredentialRef: string;
}

/** Whether the synced `revision` holds `sha`: GitHub's comparison when the cluster names a GitHub repository, else git. */
async function contains(cluster: SyncCluster, sha: string, revision: string): Promise<boolean> {
  const token = gitTokenOf(cluster.gitCredentialRef);
  const policy = { allow: await readUrlAllowList() };
  if (cluster.gitHubRepo)
    return commitContainsOnGitHub({
      apiUrl: cluster.gitHubApiUrl ?? "https://api.github.com",
      repo: cluster.gitHubRepo,
      token,
      policy,
      base: sha,
      head: revision,
    });
  if (!cluster.gitRepoUrl) return false;
  return commitContains({
    repo: { url: cluster.gitRepoUrl, baseBranch: cluster.gitBaseBranch, token },
    sha,
    revision,
    policy,
  });
}

/**
 * The sync of the first of `shas` (the merge commit, then the branch's own) the reconciler's revision contains: named
 * by it, or in its history, since a busy repository's branch has moved on by the time Argo CD / Flux reads it.
 */
async function readSync(cluster: SyncCluster, shas: readonly string[]): Promise<SyncStatus | null> {
  const ref = cluster.gitSyncRef ? parseSyncRef(cluster.gitSyncRef) : null;
  const first = shas[0];
  if (!ref || !first) return null;
  const made = clientForCluster(cluster);
  if (!made.ok) return { state: "unknown", revision: null, health: null, message: made.message };
  const [live] = await readLiveObjects(
    made.client,
    [{ apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name }],
    { policy: { maxAttempts: 2 } },
  );
  if (live?.found === true) {
    for (const sha of shas) {
      const named = syncStatusOf(ref, live.live, sha);
      if (named.state === "synced") return named;
    }
    const { revision, inSync } = syncedRevisionOf(ref, live.live);
    const synced = revisionCommit(revision);
    // Only a revision the reconciler reports in sync at is worth a fetch: any other is not synced either way.
    if (inSync && synced) {
      for (const sha of shas) {
        let held: boolean;
        try {
          held = await contains(cluster, sha, synced);
        } catch (error) {
          const pending = syncStatusOf(ref, live.live, first);
          return {
            ...pending,
            message: `${pending.message}; cannot tell whether it contains ${sha.slice(0, 12)}: ${(error as Error).message}`,
          };
        }
        if (held) return syncStatusOf(ref, live.live, sha, true);
      }
    }
    return syncStatusOf(ref, live.live, first);
  }
  return {
    state: "unknown",
    revision: null,
    health: null,
    message:
      live?.found === false
        ? `${ref.kind} ${ref.namespace}/${ref.name} does not exist in ${cluster.name}`
        : `${ref.kind} ${ref.namespace}/${ref.name} cannot be read: ${live?.failure.message ?? "no answer"}`,
  };
}

/** Reads one delivery's pull request and sync status and stores both; never throws for a read that fails. */
export async function refreshGitDelivery({ deliveryId, now }: { deliveryId: string; now: Date }): Promise<void> {
  const db = getPrisma();
  const delivery = await db.gitDelivery.findUnique({
    where: { id: deliveryId },
    include: { request: { include: { clusterTarget: true } } },
  });
  const cluster = delivery?.request.clusterTarget;
  if (!delivery || !cluster || !delivery.commitSha || delivery.state === "failed") return;
  const hasPr = !!cluster.gitHubRepo && delivery.prNumber !== null;
  // Nothing to follow: no pull request and no reconciler named on the cluster.
  if (!hasPr && !cluster.gitSyncRef) return;

  const pr: {
    prState?: string;
    prMergeSha?: string | null;
    prMergedAt?: Date | null;
    prCheckedAt?: Date;
    prReadError?: string | null;
  } = {};
  if (cluster.gitHubRepo && delivery.prNumber !== null && delivery.prState !== "merged") {
    try {
      const read = await readPullRequest({
        apiUrl: cluster.gitHubApiUrl ?? "https://api.github.com",
        repo: cluster.gitHubRepo,
        token: gitTokenOf(cluster.gitCredentialRef),
        policy: { allow: await readUrlAllowList() },
        number: delivery.prNumber,
      });
      Object.assign(pr, { prState: read.state, prMergeSha: read.mergeSha, prMergedAt: read.mergedAt });
      pr.prReadError = null;
    } catch (error) {
      pr.prReadError = (error instanceof GitDeliveryError ? `${error.reason}: ${error.message}` : String(error)).slice(
        0,
        2000,
      );
    }
    pr.prCheckedAt = now;
  }

  const merged = (pr.prState ?? delivery.prState) === "merged";
  // Once merged, Argo CD / Flux follow the base branch: the revision to look for is the merge's commit.
  const sha = (merged ? (pr.prMergeSha ?? delivery.prMergeSha) : null) ?? delivery.commitSha;
  let sync: SyncStatus | null;
  try {
    // A revision that holds the branch's own commit counts too (a fast-forward merge, or a cluster following the branch).
    sync = await readSync(cluster, sha === delivery.commitSha ? [sha] : [sha, delivery.commitSha]);
  } catch (error) {
    sync = { state: "unknown", revision: null, health: null, message: `cannot be read: ${(error as Error).message}` };
  }

  const state =
    sync?.state === "synced"
      ? ("synced" as const)
      : merged
        ? ("merged" as const)
        : delivery.state === "synced"
          ? ("synced" as const)
          : delivery.state;
  await db.gitDelivery.update({
    where: { id: delivery.id },
    data: {
      ...pr,
      state,
      ...(sync
        ? {
            syncState: sync.state,
            syncRevision: sync.revision,
            syncHealth: sync.health,
            syncMessage: sync.message.slice(0, 2000),
            syncCheckedAt: now,
          }
        : {}),
    },
  });
}

/** The gitops.refresh job: every request's latest delivery that is pushed and not yet synced. */
export async function refreshGitDeliveries({ now }: { now: Date }): Promise<{ read: number }> {
  const db = getPrisma();
  const candidates = await db.gitDelivery.findMany({
    where: {
      createdAt: { gte: new Date(now.getTime() - FOLLOW_FOR_MS) },
      commitSha: { not: null },
      state: { in: ["committed", "pr_open", "merged"] },
    },
    orderBy: { createdAt: "desc" },
    select: { id: true, requestId: true },
    take: 500,
  });
  const seen = new Set<string>();
  let read = 0;
  for (const c of candidates) {
    if (seen.has(c.requestId)) continue;
    seen.add(c.requestId);
    const latest = await db.gitDelivery.findFirst({
      where: { requestId: c.requestId },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    if (latest?.id !== c.id) continue;
    try {
      await refreshGitDelivery({ deliveryId: c.id, now });
      read++;
    } catch (error) {
      logger.warn({ err: (error as Error).message, gitDeliveryId: c.id }, "could not refresh a git delivery");
    }
  }
  return { read };
}

import "server-only";
// An apply or revert of a request whose cluster delivers through Git: the plan's manifests (the objects a
// server-side apply would send) are committed to the cluster's repository on the request's branch and pushed, and
// for GitHub a pull request is opened. The run ends like a direct apply (request status, timeline, audit and the
// applied / apply failed notification, finish-run.server.ts); the GitDelivery row keeps the commit, branch, pull
// request and state. A failure names why (unreachable, auth_refused, conflict, refused_url) and is retried by
// queueing a new run (retryDelivery): the files are rendered from the stored plan again, so nothing is lost.
import type { z } from "zod";
import { getPrisma } from "@/lib/db/prisma.server";
import type { clusterDeliveryResponse } from "@/lib/gitops/schema";
import { readUrlAllowList } from "@/lib/net/url-allow-list-setting.server";
import { getSetting } from "@/lib/env/get-env";
import { parseStoredManifests } from "./stored-plan";
import { commitAndPush, GitDeliveryError, gitTokenOf } from "@/lib/gitops/git-repository.server";
import { closePullRequest, ensurePullRequest } from "@/lib/gitops/github-pull-request.server";
import { commitMessage, deliveryBranch, renderDeliveryFiles, requestFolder } from "@/lib/gitops/render-delivery";
import { writeFenced, type ClaimedRun } from "./apply-run-store.server";
import { addRequestEvent } from "./request-events.server";
import { finishRun } from "./finish-run.server";
import { refreshGitDelivery } from "./refresh-git-deliveries.server";
import { StaleAttemptError } from "@/lib/jobs/leased-run.server";
import { logger } from "@/lib/observability/logger";

/** The stored delivery settings a Git delivery reads, typed by the schema the delivery settings are saved with. */
export type GitCluster = Omit<z.output<typeof clusterDeliveryResponse>, "id" | "deliveryMode" | "gitSyncRef">;

const reasonOf = (e: GitDeliveryError) => `${e.reason}: ${e.message}`.slice(0, 2000);
const AUTHOR = { name: "ML Portal", email: "ml-portal@localhost" };

/**
 * Runs `work` (a clone, commit and push, a pull request) while renewing the run's lease every `everyMs`, so a slow
 * remote cannot outlast the lease and have the run taken for abandoned mid-push. When a renewal finds a newer
 * attempt holds the run, the git process is stopped and StaleAttemptError ends this one without writing.
 */
export async function whileLeaseHeld<T>(
  run: ClaimedRun,
  everyMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  let lost: StaleAttemptError | null = null;
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = writeFenced(run, async () => undefined).catch((error: unknown) => {
      if (error instanceof StaleAttemptError) {
        lost = error;
        stop.abort();
      } else logger.warn({ err: (error as Error).message, applyRunId: run.id }, "could not renew the lease");
    });
  }, everyMs);
  try {
    const result = await work(stop.signal);
    if (lost) throw lost;
    return result;
  } catch (error) {
    throw lost ?? error;
  } finally {
    clearInterval(timer);
    await renewing;
  }
}

export interface GitDeliveryOptions {
  /** How often the lease is renewed while git or GitHub is being called (tests shorten it). */
  leaseRenewMs?: number;
}

export async function gitDeliveryRun(
  run: ClaimedRun,
  requestId: string,
  cluster: GitCluster,
  options: GitDeliveryOptions = {},
): Promise<void> {
  const renewEvery = options.leaseRenewMs ?? 30_000;
  const db = getPrisma();
  const request = await db.request.findUniqueOrThrow({
    where: { id: requestId },
    include: { team: { select: { slug: true } }, approval: { select: { approverId: true } } },
  });
  const approver = request.approval
    ? await db.user.findUnique({ where: { id: request.approval.approverId }, select: { name: true, email: true } })
    : null;
  const who = { number: request.number, title: request.title, cluster: cluster.name, team: request.team.slug };
  const folder = requestFolder(cluster.gitPath, who);
  const files =
    run.operation === "apply" ? renderDeliveryFiles(cluster.gitPath, who, parseStoredManifests(request.plan)) : [];
  const branch = deliveryBranch(request.number, run.operation);
  const base = (getSetting("NEXTAUTH_URL") ?? "").replace(/\/+$/, "");
  const message = commitMessage(
    { ...who, approver: approver ? `${approver.name} <${approver.email}>` : null },
    run.operation,
    base ? `${base}/requests/${request.id}` : null,
  );

  await writeFenced(run, async (tx) => {
    await tx.request.update({ where: { id: requestId }, data: { status: "applying" } });
    await addRequestEvent(tx, requestId, {
      type: `${run.operation}.started`,
      message: `${run.operation === "revert" ? "Removing" : "Committing"} ${run.operation === "revert" ? folder : `${files.length} files to ${folder}`} on branch ${branch} of ${cluster.gitRepoUrl ?? "(no repository)"}, attempt ${run.attempt}`,
    });
  });

  const record = (data: {
    branch: string;
    state: "committed" | "pr_open" | "failed";
    commitSha?: string | null;
    prNumber?: number | null;
    prUrl?: string | null;
    reason?: string | null;
    prState?: string;
    prCheckedAt?: Date;
  }) =>
    writeFenced(run, (tx) =>
      tx.gitDelivery.upsert({
        where: { applyRunId: run.id },
        create: { requestId, applyRunId: run.id, operation: run.operation, files: files.map((f) => f.path), ...data },
        update: data,
      }),
    );

  try {
    if (!cluster.gitRepoUrl) throw new GitDeliveryError("error", `cluster ${cluster.name} has no gitRepoUrl`);
    const token = gitTokenOf(cluster.gitCredentialRef);
    const policy = { allow: await readUrlAllowList() };
    const repoUrl = cluster.gitRepoUrl;
    const pushed = await whileLeaseHeld(run, renewEvery, (signal) =>
      commitAndPush({
        repo: { url: repoUrl, baseBranch: cluster.gitBaseBranch, token },
        branch,
        revertOf: run.operation === "revert" ? deliveryBranch(request.number, "apply") : undefined,
        folder,
        files,
        message,
        author: AUTHOR,
        policy,
        signal,
      }),
    );
    await record({ branch: pushed.branch, state: "committed", commitSha: pushed.sha });
    let pr: { number: number; url: string } | null = null;
    let closedPr: { number: number; url: string } | null = null;
    // A revert of a request never merged commits the removal on the apply branch: its pull request would stay open
    // with nothing to merge, so it is closed, saying why, instead of a pull request being opened for the removal.
    const onApplyBranch = run.operation === "revert" && pushed.branch !== branch;
    if (cluster.gitHubRepo && onApplyBranch) {
      const gitHubRepo = cluster.gitHubRepo;
      closedPr = await whileLeaseHeld(run, renewEvery, () =>
        closePullRequest({
          apiUrl: cluster.gitHubApiUrl ?? "https://api.github.com",
          repo: gitHubRepo,
          token,
          head: pushed.branch,
          policy,
          comment: `REQ-${request.number} was reverted before this pull request was merged: the portal committed the removal of ${folder} on this branch (${pushed.sha.slice(0, 12)}) and closed the pull request.`,
        }),
      ).catch(async (error: unknown) => {
        // The removal is pushed: keep it on record, and let a retry close the pull request.
        if (error instanceof GitDeliveryError)
          await record({ branch: pushed.branch, state: "failed", commitSha: pushed.sha, reason: reasonOf(error) });
        throw error;
      });
      if (closedPr)
        await record({
          branch: pushed.branch,
          state: "committed",
          commitSha: pushed.sha,
          prNumber: closedPr.number,
          prUrl: closedPr.url,
          prState: "closed",
          prCheckedAt: new Date(),
        });
    } else if (cluster.gitHubRepo) {
      const [subject, ...body] = message.split("\n");
      const gitHubRepo = cluster.gitHubRepo;
      pr = await whileLeaseHeld(run, renewEvery, () =>
        ensurePullRequest({
          apiUrl: cluster.gitHubApiUrl ?? "https://api.github.com",
          repo: gitHubRepo,
          token,
          head: pushed.branch,
          base: cluster.gitBaseBranch,
          title: subject ?? `REQ-${request.number}`,
          body: body.join("\n").trim(),
          policy,
        }),
      ).catch(async (error: unknown) => {
        // The commit is pushed: keep it on record, and let a retry open the pull request.
        if (error instanceof GitDeliveryError)
          await record({ branch: pushed.branch, state: "failed", commitSha: pushed.sha, reason: reasonOf(error) });
        throw error;
      });
      await record({
        branch: pushed.branch,
        state: "pr_open",
        commitSha: pushed.sha,
        prNumber: pr.number,
        prUrl: pr.url,
      });
    }
    const where = `${pushed.branch} at ${pushed.sha.slice(0, 12)}${pr ? `, pull request #${pr.number} ${pr.url}` : ""}${closedPr ? `, and closed its pull request #${closedPr.number} ${closedPr.url} (reverted before merge)` : ""}`;
    const rebased = pushed.rebased ? ` (the branch had moved: committed again on top of it ${pushed.rebased}×)` : "";
    await finishRun(run, {
      ok: true,
      requestStatus: run.operation === "revert" ? "reverted" : "applied",
      message:
        run.operation === "revert"
          ? `Committed the removal of ${folder} on ${where}${rebased}`
          : `Committed ${files.length} files to ${folder} on ${where}${rebased}${pushed.changed ? "" : " (already there: nothing changed)"}`,
      data: {
        git: {
          branch: pushed.branch,
          commitSha: pushed.sha,
          prNumber: pr?.number,
          prUrl: pr?.url,
          closedPrNumber: closedPr?.number,
          files: files.length,
        },
      },
    });
    // The pull request and the cluster's sync are read once now and then by the gitops.refresh job; a read that
    // fails is stored with its reason on the delivery, never turned into a failed run.
    const delivered = await db.gitDelivery.findUnique({ where: { applyRunId: run.id }, select: { id: true } });
    if (delivered)
      await refreshGitDelivery({ deliveryId: delivered.id, now: new Date() }).catch((error: unknown) =>
        logger.warn({ err: (error as Error).message, applyRunId: run.id }, "could not read the delivery's state"),
      );
  } catch (error) {
    if (!(error instanceof GitDeliveryError)) throw error;
    const current = await db.gitDelivery.findUnique({ where: { applyRunId: run.id } });
    if (current?.state !== "failed") await record({ branch, state: "failed", reason: reasonOf(error) });
    return finishRun(run, {
      ok: false,
      requestStatus: "apply_failed",
      error: `${error.reason}: ${error.message}`,
      message: `Git delivery failed (${error.reason.replace(/_/g, " ")}): ${error.message}. Nothing was lost: Retry delivery commits the same files again.`,
      data: { git: { reason: error.reason, branch } },
    });
  }
}

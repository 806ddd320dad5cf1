import "server-only";
// Opens (or finds) the pull request of a delivery branch through @octokit/rest, reads where it stands, and closes it
// when a revert empties it before it was merged. Every request Octokit makes goes
// through policyFetch, so the API URL passes the URL policy like every URL the portal fetches.
import { Octokit } from "@octokit/rest";
import { policyFetch, UrlRefusedError, type UrlPolicy } from "@/lib/net/policy-fetch.server";
import { GitDeliveryError } from "./git-repository.server";

export interface PullRequestOptions {
  apiUrl: string;
  /** owner/repo */
  repo: string;
  token: string | null;
  head: string;
  base: string;
  title: string;
  body: string;
  policy: UrlPolicy;
}

/** fetch as Octokit calls it, answered by policyFetch (no redirects followed: the API answers directly). */
function policyFetchFor(policy: UrlPolicy): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "POST" && method !== "PATCH")
      throw new Error(`the portal does not send ${method} to GitHub`);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const res = await policyFetch(
      url,
      {
        method,
        headers,
        body: typeof init?.body === "string" ? init.body : undefined,
        redirect: "manual",
        maxBodyBytes: 8 * 1024 * 1024,
        what: "gitHubApiUrl",
      },
      policy,
    );
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers))
      if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(", ") : v);
    return new Response(res.status === 204 || res.status === 304 ? null : res.text, {
      status: res.status,
      headers: out,
    });
  }) as typeof fetch;
}

function clientFor(o: Pick<PullRequestOptions, "apiUrl" | "repo" | "token" | "policy">) {
  const [owner, repo] = o.repo.split("/");
  if (!owner || !repo) throw new GitDeliveryError("error", `gitHubRepo ${o.repo} is not owner/repo`);
  const octokit = new Octokit({
    baseUrl: o.apiUrl.replace(/\/+$/, ""),
    auth: o.token ?? undefined,
    userAgent: "ml-portal",
    request: { fetch: policyFetchFor(o.policy), retries: 0 },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { owner, repo, octokit };
}

function failureOf(error: unknown, doing: string, o: Pick<PullRequestOptions, "apiUrl" | "repo">): unknown {
  if (error instanceof UrlRefusedError) return new GitDeliveryError("refused_url", error.message);
  const status = (error as { status?: number }).status;
  const message = (error as Error).message;
  if (status === 401 || status === 403)
    return new GitDeliveryError("auth_refused", `GitHub refused the portal's token ${doing}: ${message}`);
  if (status === undefined)
    return new GitDeliveryError("unreachable", `GitHub API ${o.apiUrl} cannot be reached: ${message}`);
  return new GitDeliveryError("error", `GitHub answered ${status} ${doing} on ${o.repo}: ${message}`);
}

export interface PullRequestState {
  state: "open" | "closed" | "merged";
  mergeSha: string | null;
  mergedAt: Date | null;
}

/** Where a pull request stands: merged (with the commit the merge made on the base branch), closed unmerged, or open. */
export async function readPullRequest(
  o: Pick<PullRequestOptions, "apiUrl" | "repo" | "token" | "policy"> & { number: number },
): Promise<PullRequestState> {
  const { owner, repo, octokit } = clientFor(o);
  try {
    const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: o.number });
    if (data.merged)
      return {
        state: "merged",
        mergeSha: data.merge_commit_sha ?? null,
        mergedAt: data.merged_at ? new Date(data.merged_at) : null,
      };
    return { state: data.state === "closed" ? "closed" : "open", mergeSha: null, mergedAt: null };
  } catch (error) {
    throw failureOf(error, `reading pull request #${o.number}`, o);
  }
}

/**
 * Whether commit `head` (what a reconciler synced) holds `base` (the delivered or merge commit) in its history:
 * GitHub's comparison says "identical" or "ahead". A commit GitHub does not know (404) holds nothing.
 */
export async function commitContainsOnGitHub(
  o: Pick<PullRequestOptions, "apiUrl" | "repo" | "token" | "policy"> & { base: string; head: string },
): Promise<boolean> {
  const { owner, repo, octokit } = clientFor(o);
  try {
    const { data } = await octokit.rest.repos.compareCommits({ owner, repo, base: o.base, head: o.head, per_page: 1 });
    return data.status === "identical" || data.status === "ahead";
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw failureOf(error, `comparing ${o.base.slice(0, 12)} with ${o.head.slice(0, 12)}`, o);
  }
}

export async function ensurePullRequest(o: PullRequestOptions): Promise<{ number: number; url: string }> {
  const { owner, repo, octokit } = clientFor(o);
  try {
    const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${o.head}`, state: "open" });
    const existing = open.data[0];
    if (existing) return { number: existing.number, url: existing.html_url };
    const created = await octokit.rest.pulls.create({
      owner,
      repo,
      head: o.head,
      base: o.base,
      title: o.title,
      body: o.body,
    });
    return { number: created.data.number, url: created.data.html_url };
  } catch (error) {
    throw failureOf(error, "opening a pull request", o);
  }
}

/**
 * Closes the open pull request of `head`, with a comment saying why, and returns it; null when the branch has none
 * open (closed or merged by a person meanwhile: nothing to do).
 */
export async function closePullRequest(
  o: Pick<PullRequestOptions, "apiUrl" | "repo" | "token" | "policy" | "head"> & { comment: string },
): Promise<{ number: number; url: string } | null> {
  const { owner, repo, octokit } = clientFor(o);
  try {
    const open = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${o.head}`, state: "open" });
    const existing = open.data[0];
    if (!existing) return null;
    await octokit.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: o.comment });
    await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, state: "closed" });
    return { number: existing.number, url: existing.html_url };
  } catch (error) {
    throw failureOf(error, "closing a pull request", o);
  }
}

import "server-only";
import { getSetting, rawEnv } from "@/lib/env/get-env";
// Commits and pushes through the git CLI (execFile, never a shell) in a temporary working directory that is removed
// afterwards. The repository URL passes the URL policy: its host:port must be allowed, and git connects only to the
// addresses checked here (http.curloptResolve pins them, so a name that resolves elsewhere later is not followed),
// never follows a redirect and speaks only http(s).
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { lookup } from "node:dns/promises";
import os from "node:os";
import path from "node:path";
import { logger } from "@/lib/observability/logger";
import { checkResolvedAddress } from "@/lib/net/url-policy";
import { requireAllowedUrl, UrlRefusedError, type UrlPolicy } from "@/lib/net/policy-fetch.server";
import type { DeliveryFile } from "./render-delivery";
import { gitCredentialRefPattern } from "./schema";

export type GitFailureReason = "unreachable" | "auth_refused" | "conflict" | "refused_url" | "error";

export class GitDeliveryError extends Error {
  constructor(
    readonly reason: GitFailureReason,
    message: string,
  ) {
    super(message);
    this.name = "GitDeliveryError";
  }
}

export interface GitRepository {
  url: string;
  baseBranch: string;
  /** A token sent as HTTP basic auth (x-access-token), as GitHub and most Git servers accept; null sends none. */
  token: string | null;
}

export interface CommitOptions {
  repo: GitRepository;
  branch: string;
  /** Replaced whole: removed, then `files` written (none: the folder's removal is the commit). */
  folder: string;
  files: readonly DeliveryFile[];
  message: string;
  author: { name: string; email: string };
  policy: UrlPolicy;
  /** Pushes tried when someone else moved the branch in between; each starts again from their commit. */
  attempts?: number;
  /** Ends the git process running (and the delivery) when the caller lost its run, e.g. to a newer attempt. */
  signal?: AbortSignal;
}

export interface CommitResult {
  sha: string;
  /** The branch the commit is on (a revert of a request whose files were never merged goes on the apply branch). */
  branch: string;
  changed: boolean;
  /** Pushes rejected because the branch had moved, each answered by committing again on top of it. */
  rebased: number;
}

/** One git command's limit; the run's lease is renewed meanwhile (git-delivery-run.server.ts), not bounded by it. */
const GIT_TIMEOUT_MS = 120_000;

/** The token a credential reference names; "none" is no token. The token itself is never stored by the portal. */
export function gitTokenOf(
  credentialRef: string,
  env: Readonly<Record<string, string | undefined>> = rawEnv(),
): string | null {
  if (credentialRef === "none") return null;
  // A reference stored before the prefix rule is refused here rather than sending an arbitrary variable.
  if (!gitCredentialRefPattern.test(credentialRef))
    throw new GitDeliveryError(
      "auth_refused",
      `gitCredentialRef ${credentialRef} is refused: only env:PORTAL_GIT_TOKEN_<NAME> variables may hold a Git token; rename the variable and update the cluster's delivery settings`,
    );
  const name = credentialRef.startsWith("env:") ? credentialRef.slice(4) : "";
  const value = name ? env[name] : undefined;
  if (!value)
    throw new GitDeliveryError(
      "auth_refused",
      `gitCredentialRef ${credentialRef}: the server's environment has no ${name || "such variable"}`,
    );
  return value;
}

/** Checks the URL and every address its host resolves to; returns the curl resolve pin for git. */
async function checkedResolve(raw: string, policy: UrlPolicy): Promise<string | null> {
  let checked;
  try {
    checked = requireAllowedUrl(raw, policy, "gitRepoUrl");
  } catch (error) {
    if (error instanceof UrlRefusedError) throw new GitDeliveryError("refused_url", error.message);
    throw error;
  }
  if (checked.literal) return null;
  let answers: readonly { address: string }[];
  try {
    answers = await (policy.resolve ?? ((h: string) => lookup(h, { all: true })))(checked.url.hostname);
  } catch (error) {
    throw new GitDeliveryError("unreachable", `gitRepoUrl ${checked.url.origin}: ${(error as Error).message}`);
  }
  for (const a of answers) {
    const verdict = checkResolvedAddress(checked, a.address, policy.allow, "gitRepoUrl");
    if (!verdict.ok) throw new GitDeliveryError("refused_url", verdict.reason);
  }
  const addresses = answers.map((a) => (a.address.includes(":") ? `[${a.address}]` : a.address));
  return `${checked.url.hostname}:${checked.port}:${addresses.join(",")}`;
}

interface Git {
  (args: string[], options?: { allowFailure?: boolean }): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** git with the portal's config in `dir`'s folder `work` (or `cwd`), with `dir` as its home. */
function gitIn(dir: string, repo: GitRepository, pin: string | null, signal?: AbortSignal, cwd?: string): Git {
  const config: [string, string][] = [
    ["protocol.allow", "never"],
    ["protocol.http.allow", "always"],
    ["protocol.https.allow", "always"],
    ["http.followRedirects", "false"],
    ["http.lowSpeedLimit", "1"],
    ["http.lowSpeedTime", "60"],
    ["core.hooksPath", "/dev/null"],
    ["commit.gpgSign", "false"],
    ...(pin ? ([["http.curloptResolve", pin]] as [string, string][]) : []),
    ...(repo.token
      ? ([
          [
            "http.extraHeader",
            `Authorization: Basic ${Buffer.from(`x-access-token:${repo.token}`).toString("base64")}`,
          ],
        ] as [string, string][])
      : []),
  ];
  // Passed through the environment, not argv, so the token never shows in a process listing.
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: getSetting("NODE_ENV"),
    PATH: rawEnv().PATH,
    HOME: dir,
    LANG: "C",
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_ASKPASS: "/bin/false",
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(
      config.flatMap(([k, v], i) => [
        [`GIT_CONFIG_KEY_${i}`, k],
        [`GIT_CONFIG_VALUE_${i}`, v],
      ]),
    ),
  };
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      execFile(
        "git",
        args,
        { cwd: cwd ?? path.join(dir, "work"), env, timeout: GIT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, signal },
        (error, stdout, stderr) => {
          if (signal?.aborted) return reject(new GitDeliveryError("error", `git ${args[0] ?? ""} was stopped`));
          if (error && "killed" in error && error.killed)
            return reject(
              new GitDeliveryError(
                "unreachable",
                `${repo.url} cannot be reached: git ${args[0] ?? ""} did not finish within ${GIT_TIMEOUT_MS / 1000} s`,
              ),
            );
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          if (code !== 0 && !options.allowFailure)
            return reject(classify(`git ${args[0] ?? ""}`, String(stderr) || (error?.message ?? ""), repo.url));
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
}

const rejectedPush = /\[rejected\]|non-fast-forward|fetch first|\[remote rejected\].*(cannot lock|failed to update)/i;

/** Names why git failed, in the person's terms, with git's own last line. */
export function classify(what: string, stderr: string, url: string): GitDeliveryError {
  const said = stderr.trim().split("\n").filter(Boolean).slice(-2).join(" / ").slice(0, 500);
  if (/Authentication failed|returned error: 40[13]|could not read Username|terminal prompts disabled/i.test(stderr))
    return new GitDeliveryError("auth_refused", `${url} refused the portal's credentials (${said})`);
  if (
    /Could not resolve|Failed to connect|Connection refused|Couldn't connect|timed out|Operation too slow/i.test(stderr)
  )
    return new GitDeliveryError("unreachable", `${url} cannot be reached (${said})`);
  if (rejectedPush.test(stderr))
    return new GitDeliveryError("conflict", `${url} rejected the push: the branch moved (${said})`);
  return new GitDeliveryError("error", `${what} failed on ${url}: ${said}`);
}

async function remoteHeads(git: Git, names: string[]): Promise<Set<string>> {
  const out = await git(["ls-remote", "--heads", "origin", ...names.map((n) => `refs/heads/${n}`)]);
  return new Set(
    out.stdout
      .split("\n")
      .map((l) => l.split("\t")[1]?.replace(/^refs\/heads\//, ""))
      .filter((n): n is string => !!n),
  );
}

async function fetchBranches(git: Git, names: string[]) {
  if (names.length)
    await git(["fetch", "-q", "--no-tags", "origin", ...names.map((n) => `+refs/heads/${n}:refs/remotes/origin/${n}`)]);
}

/**
 * Writes the files on `branch` (made from the base branch when it does not exist yet), commits and pushes. A push the
 * remote rejects because someone else pushed to the branch is tried again on top of their commit: the folder is the
 * request's own, so their changes elsewhere are kept and ours are made again. Nothing is force-pushed.
 *
 * `revertOf`: for a removal, the apply branch; when the base branch does not hold the folder (the apply was never
 * merged) the removal is committed on the apply branch itself, so its pull request no longer adds the files.
 */
export async function commitAndPush(o: CommitOptions & { revertOf?: string }): Promise<CommitResult> {
  const pin = await checkedResolve(o.repo.url, o.policy);
  const dir = await mkdtemp(path.join(os.tmpdir(), "portal-git-"));
  try {
    await mkdir(path.join(dir, "work"));
    const git = gitIn(dir, o.repo, pin, o.signal);
    await git(["init", "-q", "-b", "portal-work"]);
    await git(["remote", "add", "origin", o.repo.url]);
    const wanted = [o.repo.baseBranch, o.branch, ...(o.revertOf ? [o.revertOf] : [])];
    const heads = await remoteHeads(git, wanted);
    if (!heads.has(o.repo.baseBranch))
      throw new GitDeliveryError("error", `${o.repo.url} has no branch ${o.repo.baseBranch} (gitBaseBranch)`);
    await fetchBranches(git, [...heads]);

    let branch = o.branch;
    if (o.revertOf && heads.has(o.revertOf) && !heads.has(o.branch)) {
      const inBase = await git(["ls-tree", "-d", `origin/${o.repo.baseBranch}`, "--", o.folder]);
      if (!inBase.stdout.trim()) branch = o.revertOf;
    }

    const attempts = o.attempts ?? 3;
    for (let attempt = 0; ; attempt++) {
      const exists =
        (await git(["rev-parse", "-q", "--verify", `refs/remotes/origin/${branch}`], { allowFailure: true })).code ===
        0;
      await git(["checkout", "-q", "-f", "-B", "portal-work", `origin/${exists ? branch : o.repo.baseBranch}`]);
      await rm(path.join(dir, "work", o.folder), { recursive: true, force: true });
      for (const f of o.files) {
        const target = path.join(dir, "work", f.path);
        if (!target.startsWith(path.join(dir, "work") + path.sep))
          throw new GitDeliveryError("error", `${f.path} is outside the repository`);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, f.content);
      }
      await git(["add", "-A", "--", o.folder]);
      const staged = await git(["diff", "--cached", "--quiet"], { allowFailure: true });
      const changed = staged.code !== 0;
      if (changed)
        await git([
          "-c",
          `user.name=${o.author.name}`,
          "-c",
          `user.email=${o.author.email}`,
          "commit",
          "-q",
          "--no-verify",
          "-m",
          o.message,
        ]);
      const sha = (await git(["rev-parse", "HEAD"])).stdout.trim();
      // Already there (a retry after a push that landed, or nothing to change): nothing to push.
      if (!changed && exists) return { sha, branch, changed, rebased: attempt };
      const push = await git(["push", "-q", "--porcelain", "origin", `HEAD:refs/heads/${branch}`], {
        allowFailure: true,
      });
      if (push.code === 0) return { sha, branch, changed, rebased: attempt };
      const failure = classify("git push", `${push.stderr}\n${push.stdout}`, o.repo.url);
      if (failure.reason !== "conflict" || attempt + 1 >= attempts) throw failure;
      await fetchBranches(git, [branch]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Whether `revision` (the commit a reconciler synced) holds `sha` in its history, read from the repository's branches
 * fetched into the bare mirror kept for it (mirrorFolderOf). A revision no branch holds any more is asked for by its
 * sha. When the mirror cannot be used (another process is fetching into it, or it is damaged) a fresh fetch in a
 * temporary directory answers instead, as it would without a mirror.
 */
export async function commitContains(o: {
  repo: GitRepository;
  sha: string;
  revision: string;
  policy: UrlPolicy;
  signal?: AbortSignal;
}): Promise<boolean> {
  if (o.sha === o.revision) return true;
  const pin = await checkedResolve(o.repo.url, o.policy);
  const mirror = mirrorFolderOf(o.repo.url);
  try {
    return await oneAtATime(mirror, async () => {
      await mkdir(mirror, { recursive: true });
      const git = gitIn(path.dirname(mirror), o.repo, pin, o.signal, mirror);
      // Both idempotent: a mirror another process just made is used as it is.
      await git(["init", "-q", "--bare"]);
      await git(["config", "remote.origin.url", o.repo.url]);
      return await containsIn(git, o);
    });
  } catch (error) {
    // Refusals and unreachable remotes would fail the same way in a fresh clone: only a broken mirror falls back.
    if (o.signal?.aborted || (error instanceof GitDeliveryError && error.reason !== "error")) throw error;
    logger.warn({ mirror, err: (error as Error).message }, "git mirror unusable: checking in a fresh clone instead");
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "portal-git-"));
  try {
    await mkdir(path.join(dir, "work"));
    const git = gitIn(dir, o.repo, pin, o.signal);
    await git(["init", "-q", "-b", "portal-work"]);
    await git(["remote", "add", "origin", o.repo.url]);
    return await containsIn(git, o);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fetches the branches (and `sha`/`revision` when no branch holds them) into git's repository, then compares. */
async function containsIn(git: Git, o: { sha: string; revision: string }): Promise<boolean> {
  await git(["fetch", "-q", "--no-tags", "--prune", "origin", "+refs/heads/*:refs/remotes/origin/*"]);
  const has = async (commit: string) =>
    (await git(["cat-file", "-e", `${commit}^{commit}`], { allowFailure: true })).code === 0;
  for (const commit of [o.sha, o.revision])
    if (!(await has(commit))) await git(["fetch", "-q", "--no-tags", "origin", commit], { allowFailure: true });
  if (!(await has(o.sha)) || !(await has(o.revision))) return false;
  return (await git(["merge-base", "--is-ancestor", o.sha, o.revision], { allowFailure: true })).code === 0;
}

/**
 * The bare mirror of a repository: one folder per URL under PORTAL_GIT_MIRROR_DIR (npm start keeps it in .data), so
 * a check every minute fetches what changed instead of the whole history. Named by a hash: the URL is not a path.
 */
function mirrorFolderOf(url: string): string {
  const root = getSetting("PORTAL_GIT_MIRROR_DIR") ?? path.join(os.tmpdir(), "portal-git-mirrors");
  return path.join(root, `${createHash("sha256").update(url).digest("hex").slice(0, 32)}.git`);
}

const mirrorQueues = new Map<string, Promise<unknown>>();

/** Runs `work` after the previous work on the same mirror in this process: two fetches would fight over its refs. */
async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = mirrorQueues.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  mirrorQueues.set(key, run);
  try {
    return await run;
  } finally {
    if (mirrorQueues.get(key) === run) mirrorQueues.delete(key);
  }
}

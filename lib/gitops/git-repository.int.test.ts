// The plain-git "contains" check against a real Git server (git http-backend on 127.0.0.1): it answers from one bare
// mirror per repository, fetched into at each check, and from a fresh clone when that mirror is unusable.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pushAsSomeoneElse, startGitHttpServer, type GitHttpServer } from "@/test-support/git-http-server";
import { commitContains } from "./git-repository.server";

let git: GitHttpServer;
let mirrors: string;
const policy = { allow: ["127.0.0.1:*"] };

beforeAll(async () => {
  mirrors = mkdtempSync(path.join(os.tmpdir(), "git-mirrors-"));
  process.env.PORTAL_GIT_MIRROR_DIR = mirrors;
  git = await startGitHttpServer();
}, 60_000);
afterAll(async () => {
  await git?.close();
  rmSync(mirrors, { recursive: true, force: true });
  delete process.env.PORTAL_GIT_MIRROR_DIR;
});

const mirrorGit = (folder: string, ...args: string[]) =>
  execFileSync("git", ["--git-dir", path.join(mirrors, folder), ...args], {
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  })
    .toString()
    .trim();

describe("commitContains", () => {
  it("keeps one bare mirror per repository and fetches what was pushed since into it", async () => {
    const url = git.createRepo("contains");
    const repo = { url, baseBranch: "main", token: null };
    const base = git.git("contains", "rev-parse", "main").trim();
    const next = await pushAsSomeoneElse(url, "work", "a.txt", "a");

    expect(await commitContains({ repo, sha: base, revision: next, policy })).toBe(true);
    expect(await commitContains({ repo, sha: next, revision: base, policy })).toBe(false);
    const [mirror, ...others] = readdirSync(mirrors);
    expect(others).toEqual([]);
    expect(mirror).toMatch(/^[0-9a-f]{32}\.git$/);

    // A commit pushed since lands in the same mirror; two checks at once in one process take turns on it.
    const later = await pushAsSomeoneElse(url, "work", "b.txt", "b");
    const both = await Promise.all([
      commitContains({ repo, sha: next, revision: later, policy }),
      commitContains({ repo, sha: later, revision: next, policy }),
    ]);
    expect(both).toEqual([true, false]);
    expect(readdirSync(mirrors)).toEqual([mirror]);
    expect(mirrorGit(mirror!, "rev-parse", "refs/remotes/origin/work")).toBe(later);

    // A second repository gets its own mirror.
    const other = git.createRepo("other");
    const otherHead = git.git("other", "rev-parse", "main").trim();
    const otherNext = await pushAsSomeoneElse(other, "work", "c.txt", "c");
    expect(await commitContains({ repo: { ...repo, url: other }, sha: otherHead, revision: otherNext, policy })).toBe(
      true,
    );
    expect(readdirSync(mirrors).sort()).toHaveLength(2);
  }, 120_000);

  it("answers from a fresh clone when the mirror is damaged", async () => {
    const url = git.createRepo("damaged");
    const repo = { url, baseBranch: "main", token: null };
    const base = git.git("damaged", "rev-parse", "main").trim();
    const next = await pushAsSomeoneElse(url, "work", "a.txt", "a");
    const before = new Set(readdirSync(mirrors));
    expect(await commitContains({ repo, sha: base, revision: next, policy })).toBe(true);
    const mirror = readdirSync(mirrors).find((m) => !before.has(m));
    expect(mirror).toBeDefined();
    writeFileSync(path.join(mirrors, mirror!, "config"), "[[[ not a git config\n");
    expect(await commitContains({ repo, sha: base, revision: next, policy })).toBe(true);
    expect(await commitContains({ repo, sha: next, revision: base, policy })).toBe(false);
  }, 120_000);

  it("still refuses a repository the URL policy does not allow, mirror or not", async () => {
    const url = git.createRepo("refused");
    const head = git.git("refused", "rev-parse", "main").trim();
    await expect(
      commitContains({
        repo: { url, baseBranch: "main", token: null },
        sha: head,
        revision: "0".repeat(40),
        policy: { allow: [] },
      }),
    ).rejects.toMatchObject({ reason: "refused_url" });
  });
});

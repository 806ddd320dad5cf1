// The plain-git "contains" check (lib/gitops commitContains): how long one check takes when it fetches the whole
// repository into a new folder, as every check did before the mirror, and when it fetches into the mirror an earlier
// check left. The repository is served by git http-backend on 127.0.0.1 and has HISTORY commits of manifests on main.
// Prints figures; asserts nothing. Run: npx tsx --conditions=react-server bench/git-contains.ts
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startGitHttpServer } from "@/test-support/git-http-server";

const HISTORY = 5_000;
const RUNS = 10;

/** HISTORY commits on main, each changing one of 200 manifests, written with fast-import in one go. */
function growHistory(bareDir: string): void {
  const lines: string[] = [];
  for (let i = 0; i < HISTORY; i++) {
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i % 200}\ndata:\n  revision: "${i}"\n`;
    const message = `Change ${i}`;
    lines.push(
      "commit refs/heads/main",
      `committer Bench <bench@example.com> ${1_700_000_000 + i} +0000`,
      `data ${Buffer.byteLength(message)}`,
      message,
      ...(i === 0 ? ["from refs/heads/main^0"] : []),
      `M 644 inline clusters/bench/cm-${i % 200}.yaml`,
      `data ${Buffer.byteLength(body)}`,
      body,
    );
  }
  execFileSync("git", ["--git-dir", bareDir, "fast-import", "--quiet"], { input: lines.join("\n") + "\n" });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  process.env.DATABASE_URL ??= "postgresql://127.0.0.1:5432/unused";
  const { commitContains } = await import("@/lib/gitops/git-repository.server");
  const server = await startGitHttpServer();
  const roots: string[] = [];
  try {
    const url = server.createRepo("bench");
    growHistory(path.join(server.root, "bench.git"));
    const head = server.git("bench", "rev-parse", "main").trim();
    const old = server.git("bench", "rev-list", "--max-parents=0", "main").trim();
    const check = () =>
      commitContains({
        repo: { url, baseBranch: "main", token: null },
        sha: old,
        revision: head,
        policy: { allow: ["127.0.0.1:*"] },
      });
    const timed = async () => {
      const t = performance.now();
      if (!(await check())) throw new Error("the first commit should be contained in main");
      return performance.now() - t;
    };
    const newMirrorFolder = () => {
      const root = mkdtempSync(path.join(os.tmpdir(), "bench-mirrors-"));
      roots.push(root);
      process.env.PORTAL_GIT_MIRROR_DIR = root;
    };
    const fresh: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      newMirrorFolder(); // a new, empty mirror folder: the whole history is fetched, as a fresh clone does
      fresh.push(await timed());
    }
    const mirrored: number[] = [];
    newMirrorFolder();
    await timed(); // fills the mirror once
    for (let i = 0; i < RUNS; i++) mirrored.push(await timed());
    console.log(`repository: ${HISTORY} commits on main, ${RUNS} checks each`);
    console.log(
      `fresh fetch per check:  median ${median(fresh).toFixed(0)} ms, max ${Math.max(...fresh).toFixed(0)} ms`,
    );
    console.log(
      `fetch into the mirror:  median ${median(mirrored).toFixed(0)} ms, max ${Math.max(...mirrored).toFixed(0)} ms`,
    );
  } finally {
    await server.close();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

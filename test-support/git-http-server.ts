// A real Git server for tests: Debian's git http-backend (smart HTTP) behind a small CGI bridge on 127.0.0.1,
// serving bare repositories under a temporary root. `beforePush` runs once before the next push is handed to git,
// so a test can have someone else push in between (a real non-fast-forward race).
import { execFile, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

const execFileAsync = promisify(execFile);
const BACKEND = "/usr/lib/git-core/git-http-backend";

export interface GitHttpServer {
  url: string;
  port: number;
  root: string;
  /** A bare repository `name`.git with one commit on `main` (a README). */
  createRepo(name: string): string;
  /** git in the bare repository (read its branches, logs, trees). */
  git(repo: string, ...args: string[]): string;
  beforePush: (() => Promise<void>) | null;
  close(): Promise<void>;
}

export async function startGitHttpServer(): Promise<GitHttpServer> {
  const root = mkdtempSync(path.join(os.tmpdir(), "git-http-"));
  const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", HOME: root };
  const server: GitHttpServer = {
    url: "",
    port: 0,
    root,
    beforePush: null,
    createRepo(name) {
      const bare = path.join(root, `${name}.git`);
      const seed = mkdtempSync(path.join(os.tmpdir(), "git-seed-"));
      const run = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env: gitEnv });
      run(root, "init", "-q", "--bare", "-b", "main", bare);
      run(bare, "config", "http.receivepack", "true");
      run(seed, "init", "-q", "-b", "main");
      writeFileSync(path.join(seed, "README.md"), "# deploy\n");
      run(seed, "add", "README.md");
      run(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "Initial");
      run(seed, "push", "-q", bare, "main");
      rmSync(seed, { recursive: true, force: true });
      return `${server.url}/${name}.git`;
    },
    git(repo, ...args) {
      return execFileSync("git", ["--git-dir", path.join(root, `${repo}.git`), ...args], { env: gitEnv }).toString();
    },
    close: async () => {},
  };
  const httpServer = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const pushing = url.pathname.endsWith("/git-receive-pack");
    const hook = pushing ? server.beforePush : null;
    if (hook) server.beforePush = null;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (hook ? hook() : Promise.resolve()).then(() => {
        const cgi = spawn(BACKEND, [], {
          env: {
            ...gitEnv,
            GIT_PROJECT_ROOT: root,
            GIT_HTTP_EXPORT_ALL: "1",
            REMOTE_USER: "portal",
            REMOTE_ADDR: "127.0.0.1",
            REQUEST_METHOD: req.method ?? "GET",
            PATH_INFO: decodeURIComponent(url.pathname),
            QUERY_STRING: url.search.replace(/^\?/, ""),
            CONTENT_TYPE: req.headers["content-type"] ?? "",
            CONTENT_LENGTH: String(Buffer.concat(chunks).length),
            ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: req.headers["content-encoding"] } : {}),
            ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
          },
        });
        const out: Buffer[] = [];
        cgi.stdout.on("data", (c: Buffer) => out.push(c));
        // git http-backend may exit before reading the whole body (a refused push): the EPIPE on its stdin is
        // expected then, and unhandled it would crash the test process; the answer still comes from its stdout.
        cgi.stdin.on("error", () => {});
        cgi.stdin.end(Buffer.concat(chunks));
        cgi.on("close", () => {
          const all = Buffer.concat(out);
          const split = all.indexOf("\r\n\r\n");
          const head = all.subarray(0, split < 0 ? 0 : split).toString();
          const body = split < 0 ? all : all.subarray(split + 4);
          let status = 200;
          for (const line of head.split("\r\n")) {
            const [k, ...v] = line.split(":");
            if (!k || !v.length) continue;
            if (k.toLowerCase() === "status") status = Number.parseInt(v.join(":").trim(), 10) || 200;
            else res.setHeader(k.trim(), v.join(":").trim());
          }
          res.writeHead(status);
          res.end(body);
        });
      });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  server.port = (httpServer.address() as AddressInfo).port;
  server.url = `http://127.0.0.1:${server.port}`;
  server.close = () =>
    new Promise((resolve) => {
      httpServer.closeAllConnections();
      httpServer.close(() => {
        rmSync(root, { recursive: true, force: true });
        resolve();
      });
    });
  return server;
}

/**
 * Someone else's push: clones `repoUrl`, commits `file` on `branch` (from main when it does not exist), pushes.
 * Asynchronous, so the server in this same process can answer it.
 */
export async function pushAsSomeoneElse(repoUrl: string, branch: string, file: string, content: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "git-other-"));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", HOME: dir };
  const run = async (...args: string[]) => (await execFileAsync("git", args, { cwd: dir, env })).stdout;
  try {
    await run("clone", "-q", repoUrl, ".");
    const exists = (await run("ls-remote", "--heads", "origin", branch)).trim() !== "";
    await run("checkout", "-q", "-b", branch, exists ? `origin/${branch}` : "origin/main");
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
    await run("add", file);
    await run("-c", "user.name=Someone", "-c", "user.email=someone@example.com", "commit", "-q", "-m", `Add ${file}`);
    await run("push", "-q", "origin", `HEAD:refs/heads/${branch}`);
    return (await run("rev-parse", "HEAD")).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run -s portal -- submit --url <portal> --input request.json [--wait] [--interval <s>] [--timeout <s>]`, with an
// API token (scopes requests:write, and requests:read for --wait) in PORTAL_TOKEN: submits a request to a running
// portal (POST /api/v1/requests) and, with --wait, polls it until it is applied or fails, printing each status change.
// On a cluster delivering through Git, applied means pushed: --wait goes on until Argo CD / Flux report the delivery
// synced (or its pull request is merged, when the cluster names neither), and fails if the pull request is closed
// unmerged or the sync fails.
// Exit codes: 0 submitted (applied, with --wait), 1 failed, rejected, cancelled, timed out or the portal erred,
// 2 bad input (the field is named), 3 authentication or permission refused.
//
// The URL is the user's own portal, chosen by them, so it does not go through the portal's outbound URL policy; it
// must be http(s), and credentials in it are refused (they would end up in shell history and proxy logs).
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { submitRequestSchema } from "@/lib/requests/schema";
import { rawEnv } from "@/lib/env/get-env";
import type { CliCommand } from "./registry";

const usage =
  "usage: PORTAL_TOKEN=mlp_… npm run -s portal -- submit --url <http(s)://portal> --input <request.json> [--wait] [--interval <seconds>] [--timeout <seconds>]\n";

export const EXIT = { ok: 0, failed: 1, badInput: 2, auth: 3 } as const;

/** Statuses after which a request will not reach "applied" without someone acting again. */
const failedStatuses = new Set(["rejected", "apply_failed", "cancelled", "reverted"]);

export interface SubmitDeps {
  fetch: typeof fetch;
  env: Record<string, string | undefined>;
  readFile(path: string): Promise<string>;
  out(line: string): void;
  err(line: string): void;
  sleep(ms: number): Promise<void>;
  /** The clock the --timeout is measured on (milliseconds); Date.now unless a test gives its own. */
  now?: () => number;
}

export interface SubmitArguments {
  url: URL;
  input: string;
  wait: boolean;
  intervalMs: number;
  timeoutMs: number;
}

export function parseSubmitArguments(
  argv: string[],
): { ok: true; value: SubmitArguments } | { ok: false; message: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: "string" },
        input: { type: "string" },
        wait: { type: "boolean" },
        interval: { type: "string" },
        timeout: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (!values.url)
    return { ok: false, message: "--url is required: the portal's address, e.g. https://portal.example.com" };
  let url: URL;
  try {
    url = new URL(values.url);
  } catch {
    return { ok: false, message: `--url "${values.url}" is not a URL: give e.g. https://portal.example.com` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, message: `--url must be http:// or https://, not ${url.protocol}` };
  if (url.username || url.password)
    return { ok: false, message: "--url must not carry a user name or password: put the token in PORTAL_TOKEN" };
  if (!values.input)
    return {
      ok: false,
      message: "--input is required: a JSON file with kind, title, teamId, clusterTargetId and input",
    };
  const seconds = (raw: string | undefined, fallback: number, max: number) => {
    if (raw === undefined) return fallback * 1000;
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= max ? n * 1000 : null;
  };
  const intervalMs = seconds(values.interval, 5, 600);
  if (intervalMs === null) return { ok: false, message: "--interval must be a whole number of seconds from 1 to 600" };
  const timeoutMs = seconds(values.timeout, 3600, 86_400);
  if (timeoutMs === null) return { ok: false, message: "--timeout must be a whole number of seconds from 1 to 86400" };
  return { ok: true, value: { url, input: values.input, wait: values.wait ?? false, intervalMs, timeoutMs } };
}

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: { path: string; message: string }[] };
}

/** The exit code and message for a refused call. */
function refusal(status: number, body: ErrorBody): { code: number; message: string } {
  const message = body.error?.message ?? `the portal answered HTTP ${status}`;
  if (status === 401 || status === 403) return { code: EXIT.auth, message: `${message} (HTTP ${status})` };
  if (status === 400 || status === 404 || status === 413 || status === 415 || status === 422)
    return { code: EXIT.badInput, message };
  return { code: EXIT.failed, message: `${message} (HTTP ${status})` };
}

async function callPortal(
  deps: SubmitDeps,
  url: URL,
  token: string,
  init: { method: string; body?: string },
): Promise<{ status: number; body: unknown }> {
  const response = await deps.fetch(url, {
    method: init.method,
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      ...(init.body ? { "content-type": "application/json" } : {}),
    },
    body: init.body,
    redirect: "error",
  });
  const text = await response.text();
  let body: unknown = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { error: { message: `the portal answered HTTP ${response.status} with a body that is not JSON` } };
  }
  return { status: response.status, body };
}

export async function runSubmit(argv: string[], deps: SubmitDeps): Promise<number> {
  const parsed = parseSubmitArguments(argv);
  if (!parsed.ok) {
    deps.err(`submit: ${parsed.message}\n${usage}`);
    return EXIT.badInput;
  }
  const { url, input, wait, intervalMs, timeoutMs } = parsed.value;
  const token = deps.env.PORTAL_TOKEN?.trim();
  if (!token) {
    deps.err("submit: PORTAL_TOKEN is not set: create a token under API tokens in the portal and export it\n");
    return EXIT.auth;
  }
  let json: unknown;
  try {
    json = JSON.parse(await deps.readFile(input));
  } catch (error) {
    deps.err(
      `submit: --input ${input}: ${error instanceof SyntaxError ? `not valid JSON (${error.message})` : error instanceof Error ? error.message : String(error)}\n`,
    );
    return EXIT.badInput;
  }
  const local = submitRequestSchema.safeParse(json);
  if (!local.success) {
    const issue = local.error.issues[0];
    deps.err(`submit: ${input}: ${issue?.path.join(".") || "(the whole file)"}: ${issue?.message ?? "invalid"}\n`);
    return EXIT.badInput;
  }
  const base = url.href.endsWith("/") ? url.href : `${url.href}/`;
  const submitted = await callPortal(deps, new URL("api/v1/requests", base), token, {
    method: "POST",
    body: JSON.stringify(local.data),
  });
  if (submitted.status !== 201) {
    const r = refusal(submitted.status, submitted.body as ErrorBody);
    deps.err(`submit: ${r.message}\n`);
    return r.code;
  }
  const { id, status } = submitted.body as { id: string; status?: string };
  deps.out(`submitted request ${id}${status ? ` (${status})` : ""}`);
  if (!wait) return EXIT.ok;

  const clock = deps.now ?? Date.now;
  const deadline = clock() + timeoutMs;
  let last = status ?? "";
  let transientFailures = 0;
  for (;;) {
    let polled: { status: number; body: unknown };
    try {
      polled = await callPortal(deps, new URL(`api/v1/requests/${encodeURIComponent(id)}`, base), token, {
        method: "GET",
      });
    } catch (error) {
      polled = { status: 0, body: { error: { message: error instanceof Error ? error.message : String(error) } } };
    }
    if (polled.status === 0 || polled.status === 429 || polled.status >= 500) {
      // A restart, a deploy or a proxy hiccup must not fail a pipeline that waits an hour for an apply: retry with
      // backoff (the interval, doubling, at most a minute) for as long as the --timeout allows.
      transientFailures += 1;
      const backoffMs = Math.min(intervalMs * 2 ** (transientFailures - 1), 60_000);
      const what =
        polled.status === 0 ? ((polled.body as ErrorBody).error?.message ?? "network error") : `HTTP ${polled.status}`;
      if (clock() + backoffMs > deadline) {
        deps.err(`submit: while waiting for ${id}: ${what}, and the --timeout is reached\n`);
        return EXIT.failed;
      }
      deps.err(`submit: while waiting for ${id}: ${what}: retrying in ${Math.round(backoffMs / 1000)} s\n`);
      await deps.sleep(backoffMs);
      continue;
    }
    transientFailures = 0;
    if (polled.status !== 200) {
      const r = refusal(polled.status, polled.body as ErrorBody);
      deps.err(`submit: while waiting for ${id}: ${r.message}\n`);
      return r.code === EXIT.badInput ? EXIT.failed : r.code;
    }
    const current = (polled.body as { status: string }).status;
    const git =
      current === "applied" ? gitProgress((polled.body as { gitDelivery?: GitDeliveryBody | null }).gitDelivery) : null;
    const shown = git ? `${current}, ${git.line}` : current;
    if (shown !== last) deps.out(`request ${id}: ${shown}`);
    last = shown;
    if (current === "applied" && !git) return EXIT.ok;
    if (git?.outcome === "done") return EXIT.ok;
    if (git?.outcome === "failed") {
      deps.err(`submit: request ${id}: ${git.why}: see ${new URL(`requests/${encodeURIComponent(id)}`, base).href}\n`);
      return EXIT.failed;
    }
    if (failedStatuses.has(current)) {
      deps.err(
        `submit: request ${id} ended ${current}: see ${new URL(`requests/${encodeURIComponent(id)}`, base).href}\n`,
      );
      return EXIT.failed;
    }
    if (clock() + intervalMs > deadline) {
      deps.err(
        `submit: request ${id} is still ${shown} after the --timeout: it may still ${git ? "reach the cluster" : "be applied"} later\n`,
      );
      return EXIT.failed;
    }
    await deps.sleep(intervalMs);
  }
}

/** What the request detail says of a git delivery (GET /api/v1/requests/{id}, `gitDelivery`). */
interface GitDeliveryBody {
  operation: string;
  state: string;
  prNumber: number | null;
  pr: { state: string | null } | null;
  sync: { state: string; message: string } | null;
}

/**
 * In git mode "applied" means pushed: the request reaches the cluster once Argo CD / Flux sync it (or, when the
 * cluster names no reconciler, once its pull request is merged, or at once without a pull request: nothing more can
 * be seen). A pull request closed unmerged or a sync that failed will not get there without someone acting.
 */
function gitProgress(
  delivery: GitDeliveryBody | null | undefined,
): { line: string; outcome: "done" | "waiting" | "failed"; why?: string } | null {
  if (!delivery || delivery.operation !== "apply") return null;
  const pr =
    delivery.prNumber !== null
      ? ` (pull request #${delivery.prNumber}${delivery.pr?.state ? ` ${delivery.pr.state}` : ""})`
      : "";
  const line = `git ${delivery.state.replace(/_/g, " ")}${pr}${delivery.sync ? `, sync ${delivery.sync.state.replace(/_/g, " ")}` : ""}`;
  if (delivery.state === "synced") return { line, outcome: "done" };
  if (delivery.pr?.state === "closed" && delivery.state !== "merged")
    return { line, outcome: "failed", why: `pull request #${delivery.prNumber} was closed without being merged` };
  if (delivery.sync?.state === "failed")
    return { line, outcome: "failed", why: `the sync failed: ${delivery.sync.message}` };
  if (delivery.sync) return { line, outcome: "waiting" };
  if (delivery.prNumber !== null) return { line, outcome: delivery.state === "merged" ? "done" : "waiting" };
  return { line, outcome: "done" };
}

export const submitCommand: CliCommand = {
  summary: "submit a request to a running portal (PORTAL_TOKEN) and, with --wait, wait for its apply",
  run: (argv) =>
    runSubmit(argv, {
      fetch: globalThis.fetch,
      env: rawEnv(),
      readFile: (path) => (path === "-" ? readStdin() : readFile(path, "utf8")),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(line),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    }),
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

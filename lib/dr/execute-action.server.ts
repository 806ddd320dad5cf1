import "server-only";
import { policyFetch, UrlRefusedError } from "@/lib/net/policy-fetch.server";
import { checkUrl } from "@/lib/net/url-policy";
import { pollUntilDone, type Action, type ActionContext, type ActionResult } from "./action-context.server";
import { writeCanary, verifyCanary } from "./canary-actions.server";
import { cleanup } from "./cleanup-actions.server";
import { readCondition } from "./kube-readers";
import { modelProbe } from "./model-probe.server";
import { createBackup, createRestore, verifyBackup } from "./velero-actions.server";
import {
  deleteScratchNamespace,
  injectFailure,
  rollForward,
  rolloutUndo,
  scale,
  waitPodsReady,
} from "./workload-actions.server";

// Executes one typed action through the Kubernetes API (or HTTP for health checks), polling until it is done,
// the deadline passes or the drill is aborted.

export { DrillAborted, type Action, type ActionContext, type ActionResult } from "./action-context.server";

export async function executeAction(action: Action, ctx: ActionContext): Promise<ActionResult> {
  const dry = ctx.mode === "dry_run";
  switch (action.type) {
    case "verify_backup":
      return verifyBackup(action, ctx);
    case "create_backup":
      return createBackup(action, ctx);
    case "create_restore":
      return createRestore(action, ctx);
    case "rollout_undo":
      return rolloutUndo(action, ctx);
    case "scale":
      return scale(action, ctx);
    case "inject_failure":
      return injectFailure(action, ctx);
    case "roll_forward":
      return rollForward(action, ctx);
    case "delete_scratch_namespace":
      return deleteScratchNamespace(action, ctx);
    case "cleanup":
      return cleanup(action, ctx);
    case "write_canary":
      return writeCanary(action, ctx);
    case "verify_canary":
      return verifyCanary(action, ctx);
    case "wait_pods_ready":
      return waitPodsReady(action, ctx);
    case "model_probe":
      return modelProbe(action, ctx);
    case "http_health_check":
      return healthCheck(action, ctx);
    case "wait_condition":
      return pollUntilDone(ctx, `${action.kind} ${action.name} ${action.condition}`, async () => {
        const obj = await ctx.kube.read(action.apiVersion, action.kind, action.namespace, action.name);
        const c = obj ? readCondition(obj, action.condition) : { status: null, message: "object not found" };
        const condition = { kind: action.kind, name: action.name, condition: action.condition, ...c };
        if (dry)
          return {
            done: true,
            output: { condition },
            note: `now ${action.condition} is ${c.status ?? "absent"}${c.message ? ` (${c.message})` : ""}`,
          };
        if (c.status === action.status) return { done: true, output: { condition } };
        return {
          done: false,
          output: { condition },
          progress: `${action.condition} is ${c.status ?? "absent"}${c.message ? ` (${c.message})` : ""}`,
        };
      });
    case "manual": {
      const manual = { instruction: action.instruction, ...(action.command ? { command: action.command } : {}) };
      if (dry) return { ok: true, output: { manual }, note: "would wait for an operator to confirm" };
      await ctx.markWaitingForOperator();
      return pollUntilDone(ctx, "operator confirmation", async () => {
        const confirmed = await ctx.readConfirmation();
        if (!confirmed) return { done: false, output: { manual }, progress: "waiting for an operator to confirm" };
        return {
          done: true,
          output: {
            manual: {
              ...manual,
              confirmedBy: confirmed.by,
              confirmedAt: confirmed.at.toISOString(),
              ...(confirmed.note ? { note: confirmed.note } : {}),
            },
          },
        };
      });
    }
  }
}

async function healthCheck(
  action: Extract<Action, { type: "http_health_check" }>,
  ctx: ActionContext,
): Promise<ActionResult> {
  const what = "health check URL";
  // A dry run never fetches: it says what it would fetch and whether the URL policy allows it (addresses are
  // checked when a live run connects).
  if (ctx.mode === "dry_run") {
    const verdict = checkUrl(action.url, ctx.urlAllowList, what);
    if (!verdict.ok) return { ok: false, output: {}, error: `would not fetch ${action.url}: ${verdict.reason}` };
    const by = verdict.literal
      ? "its address"
      : verdict.byName
        ? "its host name"
        : "the network its addresses must be in";
    return {
      ok: true,
      output: {},
      note: `would GET ${action.url} expecting ${action.expectStatus}: the URL allow-list allows ${by}`,
    };
  }
  let attempts = ctx.resumed.health?.attempts ?? 0;
  return pollUntilDone(ctx, `health check ${action.url}`, async () => {
    attempts++;
    const started = ctx.now();
    let status: number | null = null;
    let lastError: string | undefined;
    try {
      // A redirect is the check's answer (expectStatus may be 302), never followed: no second URL is fetched.
      const response = await policyFetch(
        action.url,
        {
          signal: AbortSignal.timeout(Math.max(1000, Math.min(10_000, ctx.deadline - started))),
          discardBody: true,
          redirect: "manual",
          what,
        },
        { allow: ctx.urlAllowList, resolve: ctx.resolve },
      );
      status = response.status;
    } catch (error) {
      // A refusal does not change by waiting: fail now. The message names the URL and the entry to add to the
      // Settings list, or, for an address no entry can open, says so.
      if (error instanceof UrlRefusedError) {
        const message = error.listable
          ? error.message
          : `${error.message}: no entry on the URL allow-list in Settings can allow it, point the health check at the service itself`;
        return {
          done: true,
          output: { health: { url: action.url, status: null, attempts, latencyMs: 0, lastError: message } },
          error: message,
        };
      }
      lastError = (error as Error).message;
    }
    const passed = status === action.expectStatus;
    const health = {
      url: action.url,
      status,
      attempts,
      latencyMs: ctx.now() - started,
      ...(passed ? { passedAt: new Date(ctx.now()).toISOString() } : {}),
      ...(lastError ? { lastError } : {}),
    };
    if (passed) return { done: true, output: { health } };
    return {
      done: false,
      output: { health },
      progress: `answered ${status ?? `nothing (${lastError})`}, expecting ${action.expectStatus} (attempt ${attempts})`,
    };
  });
}

import "server-only";
import { objectName, pollUntilDone, type Action, type ActionContext, type ActionResult } from "./action-context.server";
import { drillRunLabel } from "./kube-readers";
import { buildProbeJob, readProbePod, type ProbeResult } from "./model-probe";
import type { ProbeEvidence } from "./step-record";

// Runs the golden requests from inside the drilled cluster, one Job per attempt, until the model server answers
// (record) or answers exactly as recorded (verify). A Job that cannot reach the server is a failed attempt, not a
// failed step: the server may still be coming up.

export async function modelProbe(
  action: Extract<Action, { type: "model_probe" }>,
  ctx: ActionContext,
): Promise<ActionResult> {
  const recorded = ctx.previous
    .map((o) => o.probe)
    .filter((p) => p && p.golden === "record" && p.url === action.url)
    .pop();
  if (action.golden === "verify" && !recorded) {
    if (ctx.mode === "dry_run")
      return { ok: true, output: {}, note: "would compare with the answers an earlier model_probe step records" };
    return {
      ok: false,
      output: {},
      error: `no earlier model_probe step recorded the golden answers of ${action.url}: add one with golden "record" before the failure`,
    };
  }
  if (ctx.mode === "dry_run") {
    const ns = await ctx.kube.read("v1", "Namespace", undefined, action.namespace);
    return {
      ok: true,
      output: {},
      note: ns ? `would run a probe Job in ${action.namespace}` : `namespace ${action.namespace} does not exist now`,
    };
  }
  let attempts = ctx.resumed.probe?.attempts ?? 1;
  let last = "";
  const probeOf = (job: string, results: ProbeResult[], extra: Partial<ProbeEvidence> = {}): ProbeEvidence => ({
    url: action.url,
    namespace: action.namespace,
    cluster: ctx.clusterName,
    golden: action.golden,
    job,
    attempts,
    results,
    ...extra,
  });
  return pollUntilDone(ctx, `model probe of ${action.url}`, async () => {
    const job = objectName(ctx, `probe-${attempts}`);
    if (!(await ctx.kube.read("batch/v1", "Job", action.namespace, job))) {
      const deadlineSeconds = Math.max(10, Math.round((ctx.deadline - ctx.now()) / 1000));
      await ctx.kube.createOrGet(
        buildProbeJob({
          name: job,
          namespace: action.namespace,
          url: action.url,
          requests: action.requests,
          model: action.model,
          runLabel: { [drillRunLabel]: ctx.runId },
          deadlineSeconds,
        }),
      );
    }
    const [pod] = await ctx.kube.list("v1", "Pod", action.namespace, `job-name=${job}`);
    const read = pod ? readProbePod(pod) : { done: false as const, why: `probe Job ${job} has no pod yet` };
    if (!read.done)
      return {
        done: false,
        output: { probe: probeOf(job, []) },
        progress: `${read.why}${last ? `; last attempt: ${last}` : ""}`,
      };
    if ("error" in read) {
      last = read.error;
      attempts++;
      return { done: false, output: { probe: probeOf(job, []) }, progress: `attempt ${attempts - 1}: ${read.error}` };
    }
    const results = read.results;
    const now = new Date(ctx.now()).toISOString();
    if (action.golden === "record") {
      if (results.every((r) => r.status === 200))
        return { done: true, output: { probe: probeOf(job, results, { recordedAt: now }) } };
      last = `answers ${results.map((r) => r.status).join(", ")}`;
    } else {
      const matches = results.map((r, i) => r.status === 200 && r.sha256 === recorded!.results[i]?.sha256);
      if (matches.length === recorded!.results.length && matches.every(Boolean)) {
        return {
          done: true,
          output: {
            probe: probeOf(job, results, { matches, passedAt: now }),
            health: { url: action.url, status: 200, attempts, passedAt: now },
          },
        };
      }
      last = `${matches.filter(Boolean).length} of ${recorded!.results.length} answers equal the golden set recorded at ${recorded!.recordedAt} (statuses ${results.map((r) => r.status).join(", ")})`;
    }
    attempts++;
    return { done: false, output: { probe: probeOf(job, results) }, progress: `attempt ${attempts - 1}: ${last}` };
  });
}

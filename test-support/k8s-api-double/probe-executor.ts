// Executes the drill's in-cluster model probe Jobs (label portal.dr/probe=model) as the cluster would: the request
// goes to the Service named in PROBE_URL and is answered by one of its Ready pods, a simulated model server whose
// answer depends on the prompt and the pod's image (the model reference), so a corrupt model answers differently
// and a Service without Ready pods answers nothing (curl's 000). The result is the pod's termination message.
import { createHash, randomUUID } from "node:crypto";
import { answerContent } from "@/lib/dr/model-probe";
import type { ClusterState } from "./cluster-state";
import type { K8sObject } from "./managed-fields";
import type { VolumeData } from "./velero-controller";

type Obj = Record<string, unknown>;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

const probeKind = (job: K8sObject) => (job.metadata.labels as Record<string, string> | undefined)?.["portal.dr/probe"];
export const isProbeJob = (job: K8sObject) => ["model", "volume-write", "volume-read"].includes(String(probeKind(job)));

/** Volume canary Jobs write or read a file in the volume of the claim they mount and report its sha256. */
function volumeCanary(volumes: VolumeData, ns: string, env: Record<string, string>, write: boolean): string {
  const file = String(env.CANARY_PATH ?? "").replace(/^\/canary\//, "");
  const claim = String(env.CANARY_CLAIM ?? "");
  if (write) volumes.write(ns, claim, { [file]: env.CANARY_CONTENT ?? "" });
  const content = volumes.read(ns, claim)?.[file];
  return JSON.stringify({ sha256: content === undefined ? "" : sha256(content) });
}

export function executeProbeJob(state: ClusterState, job: K8sObject, volumes: VolumeData) {
  if ((job.status as Obj | undefined)?.conditions) return;
  const ns = String(job.metadata.namespace);
  const container = (
    ((job.spec as Obj).template as Obj).spec as { containers: Array<{ env?: Array<{ name: string; value: string }> }> }
  ).containers[0];
  const env = Object.fromEntries((container!.env ?? []).map((e) => [e.name, e.value]));
  const kind = probeKind(job);
  if (kind !== "model") {
    finishJob(state, job, volumeCanary(volumes, ns, env, kind === "volume-write"));
    return;
  }
  const prompts = Array.from(
    { length: Number(env.PROBE_COUNT ?? 0) },
    (_, i) => JSON.parse(env[`PROBE_REQUEST_${i}`] ?? '""') as string,
  );
  const server = readyServer(state, String(env.PROBE_URL ?? ""));
  const results = prompts.map((prompt) => {
    if (!server) return { status: 0, sha256: sha256("") };
    // As an OpenAI-style server: a fresh id and created time in every response, so only the content can match.
    const body = JSON.stringify({
      id: `cmpl-${randomUUID()}`,
      object: "text_completion",
      created: Math.floor(Date.now() / 1000) + Math.floor(Math.random() * 1000),
      model: env.PROBE_MODEL || server.image,
      choices: [{ index: 0, text: sha256(`${server.image}\n${prompt}`).slice(0, 24), finish_reason: "length" }],
    });
    return { status: 200, sha256: sha256(answerContent(body)) };
  });
  finishJob(state, job, JSON.stringify(results));
}

function finishJob(state: ClusterState, job: K8sObject, message: string) {
  const ns = String(job.metadata.namespace);
  const podDef = state.findByKind("v1", "Pod")!;
  const name = `${job.metadata.name}-probe`.slice(0, 63);
  if (!state.get(podDef, ns, name)) {
    state.putSystemObject({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name,
        namespace: ns,
        labels: { "job-name": String(job.metadata.name) },
        ownerReferences: [
          { apiVersion: "batch/v1", kind: "Job", name: job.metadata.name, uid: job.metadata.uid, controller: true },
        ],
      },
      spec: { ...((((job.spec as Obj).template as Obj).spec as Obj) ?? {}) },
      status: {
        phase: "Succeeded",
        containerStatuses: [
          { name: "probe", ready: false, state: { terminated: { exitCode: 0, reason: "Completed", message } } },
        ],
      },
    });
  }
  state.putSystemObject({ ...job, status: { succeeded: 1, conditions: [{ type: "Complete", status: "True" }] } });
}

function readyServer(state: ClusterState, url: string): { image: string } | null {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return null;
  }
  const [service, namespace] = host.split(".");
  const svc = state.get(state.findByKind("v1", "Service")!, namespace, service!);
  const selector = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  if (!selector) return null;
  const ready = state.list(state.findByKind("v1", "Pod")!, namespace).find((p) => {
    const labels = (p.metadata.labels as Record<string, string> | undefined) ?? {};
    const status =
      (p.status as { phase?: string; conditions?: Array<{ type: string; status: string }> } | undefined) ?? {};
    return (
      Object.entries(selector).every(([k, v]) => labels[k] === v) &&
      status.phase === "Running" &&
      (status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True")
    );
  });
  const image = ((ready?.spec as { containers?: Array<{ image?: string }> } | undefined)?.containers ?? [])[0]?.image;
  return ready && image ? { image } : null;
}

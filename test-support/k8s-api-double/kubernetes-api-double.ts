// An in-process HTTP double of the Kubernetes API server for tests and the demo "sandbox cluster".
// It speaks the wire protocol @kubernetes/client-node uses; see README-style notes in the issue (#4, #6).
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { stringify as toYaml } from "yaml";
import { statusReply } from "./api-status";
import { ClusterState } from "./cluster-state";
import type { K8sObject } from "./managed-fields";
import { FaultInjector } from "./fault-injector";
import { type ParsedRequest, type Reply, discovery, handleResource } from "./http-routes";
import { type VeleroOutcome, VeleroController, VeleroObjectStorage, VolumeData } from "./velero-controller";
import { WorkloadController } from "./workload-controller";

export interface ManualClock {
  now(): number;
  advance(ms: number): void;
}

export function createManualClock(startMs = Date.parse("2026-01-01T00:00:00Z")): ManualClock {
  let current = startMs;
  return { now: () => current, advance: (ms) => void (current += ms) };
}

export interface KubernetesApiDoubleOptions {
  port?: number;
  /** Bearer token the double requires; a random one when omitted. */
  token?: string;
  clock?: { now(): number };
  /** Simulated time spans; divided by `speed` (default 1). */
  timing?: { workloadReadyAfterMs?: number; veleroPhaseStepMs?: number };
  speed?: number;
  /** How often controllers run on real timers; 0 disables the timer (controllers still run on every request). */
  reconcileIntervalMs?: number;
  contextName?: string;
  /** Velero's object storage; pass the same one to two doubles for clusters that share a backup bucket. */
  veleroStorage?: VeleroObjectStorage;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  dryRun: boolean;
  fieldManager?: string;
  status: number | "dropped";
  body: string;
}

export interface KubernetesApiDouble {
  url: string;
  port: number;
  token: string;
  contextName: string;
  kubeconfigYaml: string;
  state: ClusterState;
  faults: FaultInjector;
  /** Velero's object storage (pass it as `veleroStorage` to a second double on the same bucket). */
  veleroStorage: VeleroObjectStorage;
  controls: {
    /** Runs the simulated controllers now, or as of atMs (seeds use a past time for a settled history). */
    reconcile(atMs?: number): void;
    setVeleroOutcome(kind: "Backup" | "Restore", outcome: VeleroOutcome, name?: string): void;
    /** Stores a Backup as already Completed (created at startedMs), snapshotting its namespaces as they are now. */
    seedCompletedBackup(backup: K8sObject, startedMs: number, completedMs: number): void;
    /** Makes Velero pass through WaitingForPluginOperations and Finalizing phases before the outcome. */
    setVeleroAsyncPhases(kind: "Backup" | "Restore", on: boolean): void;
    /** Makes a BackupStorageLocation validate Unavailable (or Available again). */
    setBackupLocationAvailable(name: string, available: boolean): void;
    /** Files in the volume of a PersistentVolumeClaim (what a file-system backup copies). */
    writeVolume(namespace: string, claim: string, files: Record<string, string>): void;
    readVolume(namespace: string, claim: string): Record<string, string> | null;
    /** Runs a Velero Schedule now, as if its cron had fired. */
    runVeleroSchedule(namespace: string, name: string): void;
    /** Keeps a namespace Terminating when deleted (a finalizer nobody removes). */
    setNamespaceStuckTerminating(name: string, stuck: boolean): void;
    /** Keeps a Deployment (namespace/name) from ever becoming ready. */
    setDeploymentStuck(namespace: string, name: string, stuck: boolean): void;
    /** Makes an image unpullable (its pods wait in ImagePullBackOff), as every registry.invalid/ image is. */
    setImageMissing(image: string, missing: boolean): void;
    requests(): RecordedRequest[];
    clearRequests(): void;
  };
  close(): Promise<void>;
}

/** A kubeconfig with one context per cluster (the first is current): the sandbox and its standby share one file. */
export function buildKubeconfig(
  params:
    | { url: string; token: string; contextName: string; namespace?: string }
    | Array<{ url: string; token: string; contextName: string; namespace?: string }>,
): string {
  const all = Array.isArray(params) ? params : [params];
  return toYaml({
    apiVersion: "v1",
    kind: "Config",
    clusters: all.map((c) => ({ name: c.contextName, cluster: { server: c.url, "insecure-skip-tls-verify": true } })),
    users: all.map((c) => ({ name: `${c.contextName}-user`, user: { token: c.token } })),
    contexts: all.map((c) => ({
      name: c.contextName,
      context: { cluster: c.contextName, user: `${c.contextName}-user`, namespace: c.namespace ?? "default" },
    })),
    "current-context": all[0]!.contextName,
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, reply: Reply) {
  if ("text" in reply) {
    res.writeHead(reply.code, { "Content-Type": "text/plain; charset=utf-8" });
    res.end(reply.text);
    return;
  }
  res.writeHead(reply.code, { "Content-Type": "application/json", ...(reply.headers ?? {}) });
  res.end(JSON.stringify(reply.body));
}

export async function startKubernetesApiDouble(options: KubernetesApiDoubleOptions = {}): Promise<KubernetesApiDouble> {
  const clock = options.clock ?? { now: () => Date.now() };
  const speed = options.speed ?? 1;
  const token = options.token ?? randomBytes(16).toString("hex");
  const contextName = options.contextName ?? "sandbox";
  const state = new ClusterState(() => clock.now());
  const faults = new FaultInjector();
  const volumes = new VolumeData(state);
  const workloads = new WorkloadController(
    state,
    { readyAfterMs: (options.timing?.workloadReadyAfterMs ?? 300) / speed },
    volumes,
  );
  const velero = new VeleroController(
    state,
    { phaseStepMs: (options.timing?.veleroPhaseStepMs ?? 300) / speed },
    options.veleroStorage ?? new VeleroObjectStorage(),
    volumes,
  );
  const log: RecordedRequest[] = [];
  // Every real cluster starts with these.
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
    state.putSystemObject({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: { "kubernetes.io/metadata.name": name } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  }
  const reconcile = (atMs?: number) => {
    const at = atMs ?? clock.now();
    workloads.reconcile(at);
    velero.reconcile(at);
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://double");
    const body = await readBody(req);
    const parsed: ParsedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      contentType: req.headers["content-type"] ?? "",
      body,
    };
    const record: RecordedRequest = {
      method: parsed.method,
      path: parsed.path,
      query: Object.fromEntries(url.searchParams),
      contentType: parsed.contentType,
      dryRun: url.searchParams.get("dryRun") === "All",
      fieldManager: url.searchParams.get("fieldManager") ?? undefined,
      status: 0,
      body,
    };
    log.push(record);
    let dropAfterHandling = false;
    for (const action of faults.match({
      method: parsed.method,
      path: parsed.path,
      dryRun: record.dryRun,
      apply: parsed.contentType.startsWith("application/apply-patch"),
    })) {
      if (action.type === "delay") await new Promise((r) => setTimeout(r, action.ms));
      if (action.type === "hold") await action.until.catch(() => undefined);
      if (action.type === "dropAfterHandling") dropAfterHandling = true;
      if (action.type === "drop") {
        record.status = "dropped";
        req.socket.destroy();
        return;
      }
      if (action.type === "status") {
        const reason =
          action.reason ??
          (action.code === 429 ? "TooManyRequests" : action.code >= 500 ? "InternalError" : "BadRequest");
        const reply = statusReply(
          action.code,
          reason,
          action.message ?? `injected fault: ${action.code} ${reason}`,
          action.retryAfterSeconds !== undefined ? { retryAfterSeconds: action.retryAfterSeconds } : undefined,
        );
        if (action.retryAfterSeconds !== undefined) reply.headers = { "Retry-After": String(action.retryAfterSeconds) };
        record.status = action.code;
        send(res, reply);
        return;
      }
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      record.status = 401;
      send(res, statusReply(401, "Unauthorized", "Unauthorized"));
      return;
    }
    let reply: Reply;
    try {
      reconcile();
      reply = discovery(state, parsed.path) ?? handleResource(state, parsed);
      // Controllers see a write at once, so a spec change starts its rollout at the time of the write.
      if (parsed.method !== "GET") reconcile();
    } catch (error) {
      reply = statusReply(500, "InternalError", `Internal error occurred: ${(error as Error).message}`);
    }
    record.status = reply.code;
    if (dropAfterHandling) {
      record.status = "dropped";
      req.socket.destroy();
      return;
    }
    send(res, reply);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const intervalMs = options.reconcileIntervalMs ?? 25;
  const timer = intervalMs > 0 ? setInterval(() => reconcile(), intervalMs) : undefined;
  timer?.unref();

  return {
    url,
    port,
    token,
    contextName,
    kubeconfigYaml: buildKubeconfig({ url, token, contextName }),
    state,
    faults,
    veleroStorage: velero.storage,
    controls: {
      reconcile,
      setVeleroOutcome: (kind, outcome, name) => velero.setOutcome(kind, outcome, name),
      seedCompletedBackup: (backup, startedMs, completedMs) =>
        velero.seedCompletedBackup(backup, startedMs, completedMs),
      setVeleroAsyncPhases: (kind, on) => velero.setAsyncPhases(kind, on),
      setBackupLocationAvailable: (name, available) => velero.setLocationAvailable(name, available),
      runVeleroSchedule: (namespace, name) => velero.runSchedule(namespace, name, clock.now()),
      writeVolume: (namespace, claim, files) => velero.volumes.write(namespace, claim, files),
      readVolume: (namespace, claim) => velero.volumes.read(namespace, claim),
      setNamespaceStuckTerminating: (name, stuck) =>
        void (stuck ? state.stuckTerminating.add(name) : state.stuckTerminating.delete(name)),
      setDeploymentStuck: (namespace, name, stuck) => {
        if (stuck) workloads.stuck.add(`${namespace}/${name}`);
        else workloads.stuck.delete(`${namespace}/${name}`);
      },
      setImageMissing: (image, missing) =>
        void (missing ? workloads.missingImages.add(image) : workloads.missingImages.delete(image)),
      requests: () => [...log],
      clearRequests: () => void log.splice(0),
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The in-cluster model probe: a Job in the drilled cluster sends the golden requests to the model server's Service
// and writes each answer's HTTP status and sha256 to its termination message, which the drill reads from the pod.
// Pure: builds the Job and reads its result.

const probeLabel = "portal.dr/probe";
export const probeImage = "curlimages/curl:8.11.0";

/** A JSON "text" or "content" string member, escapes included (POSIX ERE, shared by the Job's grep and answerContent). */
const contentPattern = '"(text|content)"[[:space:]]*:[[:space:]]*"([^"\\\\]|\\\\.)*"';
const keyPattern = '^"(text|content)"[[:space:]]*:[[:space:]]*';

/** What the probe Job hashes of an answer: its text/content strings (still JSON-quoted), one per line, in order. */
export function answerContent(body: string): string {
  const js = (ere: string) => ere.replaceAll("[[:space:]]", "\\s");
  const strings = body.match(new RegExp(js(contentPattern), "g")) ?? [];
  return strings.map((m) => m.replace(new RegExp(js(keyPattern)), "")).join("\n");
}

export interface ProbeResult {
  status: number;
  sha256: string;
}

/** Only cluster-internal Service URLs: the probe runs inside the cluster and must not call out of it. */
export function isClusterServiceUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      (u.protocol === "http:" || u.protocol === "https:") &&
      /^[a-z0-9-]+\.[a-z0-9-]+\.svc(\.cluster\.local)?$/.test(u.hostname)
    );
  } catch {
    return false;
  }
}

// POSIX sh with curl, grep and sha256sum (the curl image is Alpine): no jq, so the JSON is printed by hand; prompts
// go in as environment variables, never into the script text. OpenAI-style servers put a fresh id and created time
// in every response, so only the answer's content is hashed: every "text" (completions) and "content" (chat)
// string in order, as answerContent() reads them.
const script = [
  'out="["; i=0',
  'model=""; [ -n "$PROBE_MODEL" ] && model=$(printf \'"model":"%s",\' "$PROBE_MODEL")',
  'while [ "$i" -lt "$PROBE_COUNT" ]; do',
  '  eval "prompt=\\$PROBE_REQUEST_$i"',
  '  body=$(printf \'{%s"prompt":%s,"max_tokens":32,"temperature":0}\' "$model" "$prompt")',
  '  code=$(curl -s -o /tmp/answer -w "%{http_code}" -m 20 -H "Content-Type: application/json" -d "$body" "$PROBE_URL" 2>/dev/null); code=$((${code:-0}+0))',
  `  content=$(grep -oE '${contentPattern}' /tmp/answer 2>/dev/null | sed -E 's/${keyPattern}//')`,
  "  sum=$(printf '%s' \"$content\" | sha256sum | cut -c1-64)",
  '  [ "$i" -gt 0 ] && out="$out,"',
  '  out="$out{\\"status\\":$code,\\"sha256\\":\\"$sum\\"}"; i=$((i+1))',
  "done",
  'printf "%s]" "$out" > /dev/termination-log',
].join("\n");

export function buildProbeJob(params: {
  name: string;
  namespace: string;
  url: string;
  requests: string[];
  runLabel: Record<string, string>;
  deadlineSeconds: number;
  model?: string;
}) {
  const labels = { ...params.runLabel, [probeLabel]: "model" };
  return oneShotJob(params.name, params.namespace, labels, params.deadlineSeconds, {
    restartPolicy: "Never",
    containers: [
      {
        name: "probe",
        image: probeImage,
        command: ["sh", "-c", script],
        terminationMessagePolicy: "File",
        env: [
          { name: "PROBE_URL", value: params.url },
          { name: "PROBE_MODEL", value: params.model ?? "" },
          { name: "PROBE_COUNT", value: String(params.requests.length) },
          ...params.requests.map((r, i) => ({ name: `PROBE_REQUEST_${i}`, value: JSON.stringify(r) })),
        ],
        securityContext: restrictedContainerSecurity,
      },
    ],
  });
}

type Toleration = { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number };

/** The taint GPU node pools carry (the NVIDIA GPU operator's and the managed node groups' default). */
export const gpuToleration: Toleration = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };

/**
 * Where a drill Job's pod must run: on GPU pools it needs their taint tolerated, and a Job mounting a
 * ReadWriteOnce claim must land on the node of the pod that already mounts it (podAffinity to that pod).
 */
export interface JobPlacement {
  tolerations: Toleration[];
  /** Labels of the pod that mounts the claim: the Job's pod is scheduled onto the same node. */
  withPodLabels?: Record<string, string>;
}

// What the "restricted" Pod Security Standard asks of every pod and container: namespaces that enforce it (as
// production ML namespaces should) refuse a Job without it. A fixed non-root UID, since the curl image names its user
// (kubelet cannot check a named user against runAsNonRoot); fsGroup lets that UID write the claim's volume.
const nonRootId = 65532;
const restrictedPodSecurity = {
  runAsNonRoot: true,
  runAsUser: nonRootId,
  runAsGroup: nonRootId,
  fsGroup: nonRootId,
  seccompProfile: { type: "RuntimeDefault" },
};
const restrictedContainerSecurity = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** The placement of a Job that mounts `claim`: next to the pod that mounts it, with that pod's tolerations. */
export function placementForClaim(pods: unknown[], claim: string): JobPlacement {
  const mounting = pods.find((p) => {
    const pod = p as {
      spec?: { volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }> };
      status?: { phase?: string };
    };
    const live = pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";
    return live && (pod.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claim);
  }) as { metadata?: { labels?: Record<string, string> }; spec?: { tolerations?: Toleration[] } } | undefined;
  if (!mounting) return { tolerations: [gpuToleration] };
  const labels = { ...(mounting.metadata?.labels ?? {}) };
  // Names a single ReplicaSet: the pod's other labels still select it, and survive a rollout.
  delete labels["pod-template-hash"];
  const tolerations = mounting.spec?.tolerations ?? [];
  const hasGpu = tolerations.some((t) => t.key === gpuToleration.key);
  return {
    tolerations: hasGpu ? tolerations : [...tolerations, gpuToleration],
    ...(Object.keys(labels).length > 0 ? { withPodLabels: labels } : {}),
  };
}

/** A Job that runs its pod once, never retried, and is cleaned up an hour after it ends. */
function oneShotJob<P extends object>(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  deadlineSeconds: number | undefined,
  podSpec: P,
  placement: JobPlacement = { tolerations: [gpuToleration] },
) {
  const affinity = placement.withPodLabels
    ? {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: placement.withPodLabels }, topologyKey: "kubernetes.io/hostname" },
            ],
          },
        },
      }
    : {};
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace, labels },
    spec: {
      backoffLimit: 0,
      ...(deadlineSeconds === undefined ? {} : { activeDeadlineSeconds: deadlineSeconds }),
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels },
        spec: {
          ...podSpec,
          securityContext: restrictedPodSecurity,
          tolerations: placement.tolerations,
          ...affinity,
        },
      },
    },
  };
}

/** The probe pod's answers, or why there are none yet. */
export function readProbePod(
  pod: unknown,
): { done: false; why: string } | { done: true; results: ProbeResult[] } | { done: true; error: string } {
  const status = ((pod as { status?: Record<string, unknown> })?.status ?? {}) as {
    phase?: string;
    containerStatuses?: Array<{ state?: { terminated?: { exitCode?: number; message?: string } } }>;
  };
  const terminated = status.containerStatuses?.[0]?.state?.terminated;
  if (!terminated) return { done: false, why: `probe pod is ${status.phase ?? "Pending"}` };
  try {
    const parsed = JSON.parse(terminated.message ?? "") as unknown;
    if (!Array.isArray(parsed) || !parsed.every((r) => typeof r?.status === "number" && typeof r?.sha256 === "string"))
      throw new Error("not a list of {status, sha256}");
    return { done: true, results: parsed as ProbeResult[] };
  } catch (error) {
    return {
      done: true,
      error: `probe pod ended (exit ${terminated.exitCode ?? "?"}) without a readable result: ${(error as Error).message}`,
    };
  }
}

/** A Job that mounts a PersistentVolumeClaim and writes (or reads) the canary file, reporting its sha256. */
export function buildVolumeCanaryJob(params: {
  name: string;
  namespace: string;
  claim: string;
  file: string;
  content?: string;
  runLabel: Record<string, string>;
  placement?: JobPlacement;
}) {
  const mode = params.content === undefined ? "volume-read" : "volume-write";
  const labels = { ...params.runLabel, [probeLabel]: mode };
  const path = `/canary/${params.file}`;
  const write = params.content === undefined ? "" : 'printf "%s" "$CANARY_CONTENT" > "$CANARY_PATH" && sync && ';
  return oneShotJob(
    params.name,
    params.namespace,
    labels,
    undefined,
    {
      restartPolicy: "Never",
      volumes: [{ name: "canary", persistentVolumeClaim: { claimName: params.claim } }],
      containers: [
        {
          name: "canary",
          image: probeImage,
          command: [
            "sh",
            "-c",
            `${write}s=$(sha256sum "$CANARY_PATH" 2>/dev/null | cut -c1-64); printf '{"sha256":"%s"}' "$s" > /dev/termination-log`,
          ],
          terminationMessagePolicy: "File",
          env: [
            { name: "CANARY_PATH", value: path },
            { name: "CANARY_CLAIM", value: params.claim },
            ...(params.content === undefined ? [] : [{ name: "CANARY_CONTENT", value: params.content }]),
          ],
          volumeMounts: [{ name: "canary", mountPath: "/canary" }],
          securityContext: restrictedContainerSecurity,
        },
      ],
    },
    params.placement,
  );
}

/** The volume canary Job's reported sha256 ("" when the file is absent), or why there is none yet. */
export function readVolumeCanaryPod(
  pod: unknown,
): { done: false; why: string } | { done: true; sha256: string | null } {
  const status = ((pod as { status?: Record<string, unknown> })?.status ?? {}) as {
    phase?: string;
    containerStatuses?: Array<{ state?: { terminated?: { message?: string } } }>;
  };
  const terminated = status.containerStatuses?.[0]?.state?.terminated;
  if (!terminated) return { done: false, why: `canary pod is ${status.phase ?? "Pending"}` };
  try {
    const sha = (JSON.parse(terminated.message ?? "") as { sha256?: string }).sha256;
    return { done: true, sha256: sha ? sha : null };
  } catch {
    return { done: true, sha256: null };
  }
}

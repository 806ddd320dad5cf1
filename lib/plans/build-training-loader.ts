// How the training code and data reach the ranks. The ranks read /data from a ReadWriteMany claim the plan creates
// empty; the object store (the plan's models-and-data bucket, which the workloads' identity may read) is where the
// requester uploads them. A loader Job on a CPU node mirrors the job's prefix of that store into the claim and then
// writes a marker; each rank's first init container waits for the marker (or the loader's failure note) before the
// GPUs start. The Job is not suspended: a plan applied again, by hand or by GitOps, would suspend a running run.
import type { KubernetesObject } from "@/lib/k8s/types";
import { identityPodLabels, workloadIdentityAnnotations } from "./build-model-server";
import {
  labelsFor,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  utilityPlacement,
  writableHome,
  type PlanContext,
} from "./plan-context";
import { uniqueBucketName, type PlanInput } from "./schema";

// Current rclone release (v1.75.1, September 2026): one tool for S3, GCS, Azure Blob and S3-compatible stores.
export const rcloneImage = "rclone/rclone:1.75.1";
/** Where the data claim is mounted, in the loader and in every rank. */
export const dataMountPath = "/data";
/** The loader's notes on the claim, which its sync leaves alone: `loaded` once complete, `failed` with the reason. */
export const loaderStateDir = `${dataMountPath}/.ml-platform`;
/** The exit code of a failure that retrying cannot fix (nothing uploaded, the script missing): both Jobs fail. */
export const notRetriableExitCode = 3;
// A rank waits at most this long for the loader; a loader that fails says so at once through its note.
const dataWaitSeconds = 4 * 3600;
/** The identity's name (IAM role <cluster>-training-loader, GCP service account training-loader). */
const loaderIdentity = "training-loader";

export function loaderJobName(ctx: PlanContext): string {
  return `${ctx.input.training.job_name}-loader`;
}

/** The Azure storage account of the models-and-data container: its own, apart from the backups' account. */
export function azureModelsStorageAccount(
  input: Pick<PlanInput, "cloud_provider" | "cluster_name" | "region" | "identity">,
): string {
  // azureStorageAccount keeps a long name's head and hash, which the backups' account shares: a fixed middle instead.
  const hash = uniqueBucketName(input, "models").slice(-8);
  return `${input.cluster_name.replace(/[^a-z0-9]/g, "").slice(0, 10)}models${hash}`;
}

/** The prefix the requester uploads the job's code and data to; the loader mirrors it into the data claim. */
export function trainingDataSource(ctx: PlanContext): string {
  const { input } = ctx;
  const bucket = uniqueBucketName(input, "models");
  const prefix = `training/${input.training.job_name}/`;
  switch (input.cloud_provider) {
    case "aws":
      return `s3://${bucket}/${prefix}`;
    case "gcp":
      return `gs://${bucket}/${prefix}`;
    case "azure":
      return `https://${azureModelsStorageAccount(input)}.blob.core.windows.net/${bucket}/${prefix}`;
    case "on_premise":
      return `${input.disaster_recovery.object_store_url.replace(/\/$/, "")}/${bucket}/${prefix}`;
  }
}

/** rclone's remote "source", configured through its environment: the cloud's workload identity, or keys on premises. */
function rcloneSource(ctx: PlanContext): { name: string; value?: string; valueFrom?: Record<string, unknown> }[] {
  const { input } = ctx;
  const env = (key: string, value: string) => ({ name: `RCLONE_CONFIG_SOURCE_${key}`, value });
  switch (input.cloud_provider) {
    case "aws":
      // env_auth: the SDK's chain, which reads the web identity token IRSA injects.
      return [env("TYPE", "s3"), env("PROVIDER", "AWS"), env("ENV_AUTH", "true"), env("REGION", input.region)];
    case "gcp":
      // env_auth: application default credentials, i.e. the GKE metadata server under Workload Identity.
      return [env("TYPE", "google cloud storage"), env("ENV_AUTH", "true"), env("BUCKET_POLICY_ONLY", "true")];
    case "azure":
      // env_auth: azidentity's chain, which reads the federated token Azure Workload Identity injects.
      return [env("TYPE", "azureblob"), env("ACCOUNT", azureModelsStorageAccount(input)), env("ENV_AUTH", "true")];
    case "on_premise": {
      const key = (name: string, secretKey: string) => ({
        name: `RCLONE_CONFIG_SOURCE_${name}`,
        valueFrom: { secretKeyRef: { name: "model-credentials", key: secretKey } },
      });
      const ca = input.disaster_recovery.object_store_ca_cert;
      return [
        env("TYPE", "s3"),
        env("PROVIDER", "Other"),
        env("ENDPOINT", input.disaster_recovery.object_store_url),
        env("FORCE_PATH_STYLE", "true"),
        key("ACCESS_KEY_ID", "object_store_access_key"),
        key("SECRET_ACCESS_KEY", "object_store_secret_key"),
        ...(ca ? [{ name: "OBJECT_STORE_CA_CERT", value: ca }] : []),
      ];
    }
  }
}

/**
 * The loader's program: mirror the prefix (deleting what was removed upstream, keeping its own notes), then prove
 * the script the ranks run is there. Any failure is written to the claim so the ranks fail at once instead of
 * holding their GPUs until the wait times out.
 */
const loaderScript = `set -u
state=${loaderStateDir}
mkdir -p "$state" && rm -f "$state/loaded" "$state/failed"
fail() { printf '%s\\n' "$1" | tee "$state/failed" >&2; exit ${notRetriableExitCode}; }
if [ -n "\${OBJECT_STORE_CA_CERT:-}" ]; then
  printf '%s' "$OBJECT_STORE_CA_CERT" | base64 -d > /tmp/ca.crt && export RCLONE_CA_CERT=/tmp/ca.crt
fi
# rclone exits 3 for a prefix that does not exist: nothing was uploaded, which no retry fixes. Any other failed
# listing (the identity not bound yet, the store unreachable) is left to the Job's retries.
listing=$(rclone lsf --max-depth 1 --low-level-retries 20 "source:$SOURCE_PATH")
status=$?
[ "$status" -eq 3 ] && listing=""
[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || exit 1
[ -n "$listing" ] ||
  fail "nothing to load: $DATA_SOURCE is empty; upload the training code and data there, then delete Jobs $LOADER_JOB and $TRAINING_JOB and apply $LOADER_JOB before $TRAINING_JOB"
rclone sync "source:$SOURCE_PATH" ${dataMountPath} --exclude "/.ml-platform/**" --transfers 16 --checkers 32 --retries 5 --stats 60s --stats-one-line ||
  fail "copying $DATA_SOURCE into the data claim failed (rclone exit $?): see kubectl logs job/$LOADER_JOB"
case "$TRAINING_SCRIPT" in
  ${dataMountPath}/*) [ -f "$TRAINING_SCRIPT" ] ||
    fail "$TRAINING_SCRIPT is not in $DATA_SOURCE (expected the object \${TRAINING_SCRIPT#${dataMountPath}/}): upload it, then delete Jobs $LOADER_JOB and $TRAINING_JOB and apply $LOADER_JOB before $TRAINING_JOB" ;;
esac
date -u +%Y-%m-%dT%H:%M:%SZ > "$state/loaded"
echo "loaded $DATA_SOURCE into the data claim"`;

/** What each rank runs first: wait for the loader's marker, fail at once on its failure note or a missing script. */
const waitScript = `state=${loaderStateDir}
waited=0
until [ -f "$state/loaded" ]; do
  if [ -f "$state/failed" ]; then echo "the data loader failed: $(cat "$state/failed")" >&2; exit ${notRetriableExitCode}; fi
  if [ "$waited" -ge ${dataWaitSeconds} ]; then
    echo "no training data after ${dataWaitSeconds / 3600}h: check Job $LOADER_JOB (kubectl logs job/$LOADER_JOB)" >&2
    exit ${notRetriableExitCode}
  fi
  sleep 15
  waited=$((waited + 15))
done
# The script is on the data claim or in the image; the trainer's other volumes are not mounted here.
case "$TRAINING_SCRIPT" in
  /checkpoints/*|/tmp/*|/dev/shm/*|/home/app/*) ;;
  *) [ -f "$TRAINING_SCRIPT" ] || { echo "$TRAINING_SCRIPT is neither in the image nor on the data claim" >&2; exit ${notRetriableExitCode}; } ;;
esac`;

function sourcePath(ctx: PlanContext): string {
  const bucket = uniqueBucketName(ctx.input, "models");
  return `${bucket}/training/${ctx.input.training.job_name}/`;
}

const commonEnv = (ctx: PlanContext) => [
  { name: "LOADER_JOB", value: loaderJobName(ctx) },
  { name: "TRAINING_JOB", value: ctx.input.training.job_name },
  { name: "TRAINING_SCRIPT", value: ctx.input.training.script },
];

/** The init container that holds each rank until the loader has filled the data claim. */
export function waitForDataContainer(ctx: PlanContext): Record<string, unknown> {
  return {
    name: "wait-for-data",
    image: ctx.input.training.image,
    command: ["sh", "-c", waitScript],
    env: [...commonEnv(ctx), ...writableHome.env],
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
    securityContext: restrictedContainerSecurityContext,
    volumeMounts: [{ name: "training-data", mountPath: dataMountPath, readOnly: true }, writableHome.mount],
  };
}

/** The loader's ServiceAccount (bound to the workloads' read access of the store) and its Job. */
export function buildTrainingLoader(ctx: PlanContext, dataClaim: string): KubernetesObject[] {
  const { input } = ctx;
  const namespace = input.namespaces.training;
  const name = loaderJobName(ctx);
  const labels = labelsFor(ctx, name, { "app.kubernetes.io/component": "data-loader" });
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name, namespace, labels, annotations: workloadIdentityAnnotations(ctx, loaderIdentity) },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name, namespace, labels },
      spec: {
        // rclone retries transient errors itself; what is left is written to the claim for the ranks to read.
        backoffLimit: 2,
        podFailurePolicy: {
          rules: [
            { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
            {
              action: "FailJob",
              onExitCodes: { containerName: "loader", operator: "In", values: [notRetriableExitCode] },
            },
          ],
        },
        template: {
          metadata: { labels: { ...labels, ...identityPodLabels(ctx) } },
          spec: {
            restartPolicy: "Never",
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext,
            // A CPU node: copying needs no GPU, and keeping a GPU node awake for it costs the most.
            ...utilityPlacement(ctx),
            containers: [
              {
                name: "loader",
                image: rcloneImage,
                command: ["sh", "-c", loaderScript],
                env: [
                  ...rcloneSource(ctx),
                  { name: "SOURCE_PATH", value: sourcePath(ctx) },
                  { name: "DATA_SOURCE", value: trainingDataSource(ctx) },
                  ...commonEnv(ctx),
                  { name: "RCLONE_CONFIG", value: "/tmp/rclone.conf" },
                  ...writableHome.env.filter((e) => e.name === "HOME" || e.name === "XDG_CACHE_HOME"),
                ],
                resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "2Gi" } },
                securityContext: restrictedContainerSecurityContext,
                volumeMounts: [
                  { name: "training-data", mountPath: dataMountPath },
                  { name: "tmp", mountPath: "/tmp" },
                  writableHome.mount,
                ],
              },
            ],
            volumes: [
              { name: "training-data", persistentVolumeClaim: { claimName: dataClaim } },
              { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
              writableHome.volume,
            ],
          },
        },
      },
    },
  ];
}

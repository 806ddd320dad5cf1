// The review found the training Job running /data/code/train.py from a claim nothing fills: every rank failed
// "No such file". A loader Job now fills the claim from the plan's object store, the ranks wait for it, and what no
// retry can fix fails the Job at once.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KubernetesObject } from "@/lib/k8s/types";
import { generatePlan } from "./generate-plan";
import { buildBackupStrategy } from "./recovery-plans";
import { buildPlanContext } from "./plan-context";
import { planInputSchema, uniqueBucketName, type PlanInputDraft } from "./schema";
import { checkViability } from "./viability/check-viability";

type Any = Record<string, any>;
const clouds = ["aws", "gcp", "azure", "on_premise"] as const;
const parse = (draft: Omit<PlanInputDraft, "infrastructure_task">) =>
  planInputSchema.parse({ infrastructure_task: "cluster_setup", workload_type: "training", ...draft });
const byName = (objects: KubernetesObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as Any;
const podSpec = (job: Any) => job.spec.template.spec;
const env = (container: Any) =>
  Object.fromEntries((container.env as Any[]).map((e) => [e.name, e.value ?? e.valueFrom?.secretKeyRef?.name]));

describe.each(clouds)("training on %s", (cloud) => {
  const input = parse({ cloud_provider: cloud });
  const plan = generatePlan(input);

  it("a loader Job copies the job's prefix of the models-and-data store into the data claim", async () => {
    const { deployment_manifests: objects } = await plan;
    const loader = byName(objects, "Job", "distributed-training-loader");
    const spec = podSpec(loader);
    expect(spec.volumes).toContainEqual({
      name: "training-data",
      persistentVolumeClaim: { claimName: "distributed-training-data" },
    });
    const container = spec.containers[0];
    expect(container.volumeMounts).toContainEqual({ name: "training-data", mountPath: "/data" });
    expect(env(container).SOURCE_PATH).toBe(`${uniqueBucketName(input, "models")}/training/distributed-training/`);
    expect(container.command.join(" ")).toContain('rclone sync "source:$SOURCE_PATH" /data');
    // On a CPU node: no GPU is held while copying.
    expect(JSON.stringify(container.resources)).not.toContain("nvidia.com/gpu");
    expect(spec.serviceAccountName).toBe("distributed-training-loader");
  });

  it("each rank waits for the loader, and a non-retriable failure fails the whole Job", async () => {
    const { deployment_manifests: objects } = await plan;
    const job = byName(objects, "Job", "distributed-training");
    const wait = podSpec(job).initContainers[0];
    expect(wait.name).toBe("wait-for-data");
    expect(wait.volumeMounts).toContainEqual({ name: "training-data", mountPath: "/data", readOnly: true });
    expect(wait.command.join(" ")).toContain('until [ -f "$state/loaded" ]');
    expect(job.spec.suspend).toBeUndefined();
    expect(job.spec.podFailurePolicy.rules).toEqual([
      { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
      { action: "FailJob", onExitCodes: { containerName: "wait-for-data", operator: "In", values: [3] } },
      { action: "FailJob", onExitCodes: { containerName: "trainer", operator: "In", values: [2] } },
    ]);
    const loader = byName(objects, "Job", "distributed-training-loader");
    expect(loader.spec.podFailurePolicy.rules).toContainEqual({
      action: "FailJob",
      onExitCodes: { containerName: "loader", operator: "In", values: [3] },
    });
  });

  it("the plan passes the viability check, and fails it without the loader, naming the Job, the claim and the fix", async () => {
    const { deployment_manifests: objects, viability_report } = await plan;
    expect(viability_report.findings.filter((f) => f.check === "viability.script-on-unseeded-claim")).toEqual([]);
    const withoutLoader = objects.filter((o) => o.metadata.name !== "distributed-training-loader");
    const finding = checkViability(withoutLoader).findings.find(
      (f) => f.check === "viability.script-on-unseeded-claim",
    );
    expect(finding?.severity).toBe("high");
    expect(finding?.object).toMatchObject({ kind: "Job", name: "distributed-training" });
    expect(finding?.message).toContain("/data/code/train.py");
    expect(finding?.message).toContain("ml-training/distributed-training-data");
    expect(finding?.fix).toContain("distributed-training-data");
  });

  it("the loader's identity can read the store, and its namespace lets it reach it", async () => {
    const { deployment_manifests: objects, infrastructure_config, requires } = await plan;
    const account = byName(objects, "ServiceAccount", "distributed-training-loader");
    const tf = JSON.stringify(infrastructure_config);
    if (cloud === "aws") {
      expect(account.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(
        /:role\/ml-production-training-loader$/,
      );
      expect(tf).toContain("ml-training:distributed-training-loader");
    }
    if (cloud === "gcp") expect(tf).toContain("ml-training/distributed-training-loader");
    if (cloud === "azure") {
      expect(tf).toContain("system:serviceaccount:ml-training:distributed-training-loader");
      expect(tf).toContain('resource \\"azurerm_storage_account\\" \\"models\\"');
      expect(tf).toContain("Storage Blob Data Reader");
      const loader = byName(objects, "Job", "distributed-training-loader");
      expect(loader.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
    }
    if (cloud === "on_premise") {
      const container = podSpec(byName(objects, "Job", "distributed-training-loader")).containers[0];
      expect(env(container).RCLONE_CONFIG_SOURCE_ACCESS_KEY_ID).toBe("model-credentials");
      expect(objects.some((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-egress-object-store")).toBe(
        true,
      );
    } else {
      expect(objects.some((o) => o.kind === "NetworkPolicy" && o.metadata.name === "allow-egress-cloud-apis")).toBe(
        true,
      );
    }
    const upload = requires.find((r) => r.name === "Training code and data in");
    expect(upload?.provided_by).toBe("you");
    expect(upload?.settings[0]?.why).toContain("code/train.py");
  });
});

describe("the loader's and the ranks' shell programs", () => {
  it.each(["distributed-training-loader", "distributed-training"])("%s parses as POSIX sh", async (name) => {
    const { deployment_manifests: objects } = await generatePlan(parse({ cloud_provider: "aws" }));
    const spec = podSpec(byName(objects, "Job", name));
    const container = [...(spec.initContainers ?? []), ...spec.containers].find((c: Any) => c.command[0] === "sh");
    expect(() => execFileSync("sh", ["-n", "-c", container.command[2]])).not.toThrow();
  });
});

/**
 * The Jobs' own shell programs, run against a temporary directory standing for /data and an rclone stand-in that
 * lists and copies what the case says: what a platform engineer would see in the pods' logs and exit codes.
 */
describe("the loader's and the ranks' programs, run", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "training-loader-"));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const bin = path.join(root, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(bin, "rclone"),
    `#!/bin/sh
case "$1" in
  lsf) printf '%s' "$FAKE_LISTING"; exit "\${FAKE_LSF_EXIT:-0}" ;;
  sync) if [ -n "$FAKE_OBJECT" ]; then mkdir -p "$3/$(dirname "$FAKE_OBJECT")" && echo print > "$3/$FAKE_OBJECT"; fi; exit "\${FAKE_SYNC_EXIT:-0}" ;;
esac
`,
    { mode: 0o755 },
  );
  const programs = generatePlan(parse({ cloud_provider: "aws" })).then(({ deployment_manifests: objects }) => ({
    loader: podSpec(byName(objects, "Job", "distributed-training-loader")).containers[0] as Any,
    wait: podSpec(byName(objects, "Job", "distributed-training")).initContainers[0] as Any,
  }));
  let run = 0;
  async function exec(which: "loader" | "wait", data: string, fake: Record<string, string> = {}) {
    const container = (await programs)[which];
    // The stand-in for /data lives under /tmp, which the ranks' program skips as one of the trainer's own mounts.
    const script = String(container.command[2]).replaceAll("/tmp/*|", "").replaceAll("/data", data);
    const vars = { ...env(container), TRAINING_SCRIPT: `${data}/code/train.py`, ...fake };
    try {
      const stdout = execFileSync("sh", ["-c", script], {
        env: { ...process.env, ...vars, PATH: `${bin}:${process.env.PATH}` },
        stdio: "pipe",
      });
      return { code: 0, output: String(stdout) };
    } catch (e) {
      const error = e as { status: number; stderr: Buffer };
      return { code: error.status, output: String(error.stderr) };
    }
  }
  const claim = () => {
    const data = path.join(root, `data-${run++}`);
    fs.mkdirSync(data);
    return data;
  };

  it("copies the prefix, checks the script is there and marks the claim loaded", async () => {
    const data = claim();
    const result = await exec("loader", data, { FAKE_LISTING: "code/\n", FAKE_OBJECT: "code/train.py" });
    expect(result.code).toBe(0);
    expect(fs.existsSync(`${data}/code/train.py`)).toBe(true);
    expect(fs.existsSync(`${data}/.ml-platform/loaded`)).toBe(true);
    expect(await exec("wait", data)).toEqual({ code: 0, output: "" });
  });

  it("an empty prefix fails the loader and, through its note, every rank with exit code 3", async () => {
    const data = claim();
    const result = await exec("loader", data, { FAKE_LISTING: "" });
    expect(result.code).toBe(3);
    expect(result.output).toContain("nothing to load: s3://");
    const wait = await exec("wait", data);
    expect(wait.code).toBe(3);
    expect(wait.output).toContain("the data loader failed: nothing to load");
  });

  it("a prefix that does not exist (rclone's exit code 3) is nothing to load, not a retry", async () => {
    const data = claim();
    const result = await exec("loader", data, { FAKE_LISTING: "", FAKE_LSF_EXIT: "3" });
    expect(result.code).toBe(3);
    expect(fs.readFileSync(`${data}/.ml-platform/failed`, "utf8")).toContain("nothing to load: s3://");
  });

  it("a prefix without the script fails the loader, naming the object to upload", async () => {
    const data = claim();
    const result = await exec("loader", data, { FAKE_LISTING: "shards/\n", FAKE_OBJECT: "shards/0.bin" });
    expect(result.code).toBe(3);
    expect(result.output).toContain("(expected the object code/train.py)");
    expect(fs.existsSync(`${data}/.ml-platform/loaded`)).toBe(false);
  });

  it("a store it cannot list yet is left to the Job's retries (exit 1), with no note for the ranks", async () => {
    const data = claim();
    const result = await exec("loader", data, { FAKE_LSF_EXIT: "5" });
    expect(result.code).toBe(1);
    expect(fs.existsSync(`${data}/.ml-platform/failed`)).toBe(false);
  });

  it("a rank whose script is on neither the claim nor the image fails with exit code 3", async () => {
    const data = claim();
    fs.mkdirSync(`${data}/.ml-platform`);
    fs.writeFileSync(`${data}/.ml-platform/loaded`, "2026-12-07T00:00:00Z\n");
    const wait = await exec("wait", data);
    expect(wait.code).toBe(3);
    expect(wait.output).toContain("is neither in the image nor on the data claim");
  });
});

describe("the training data's backup", () => {
  it("names the store the loader reads as the data's copy of record, with the retention the Terraform sets", async () => {
    const input = parse({ cloud_provider: "aws", disaster_recovery: { data_retention_days: 200 } });
    const strategy = buildBackupStrategy(buildPlanContext(input));
    expect(strategy.training_data).toMatchObject({
      storage: `s3://${uniqueBucketName(input, "models")}/training/distributed-training/`,
      versioning: true,
      noncurrent_version_retention_days: 200,
      in_cluster_copy: "ml-training/distributed-training-data",
    });
    const tf = JSON.stringify((await generatePlan(input)).infrastructure_config);
    expect(tf).toContain("noncurrent_days = 200");
  });

  it("on GCS the same retention is a lifecycle rule on the models bucket", async () => {
    const input = parse({ cloud_provider: "gcp", disaster_recovery: { data_retention_days: 120 } });
    const tf = JSON.stringify((await generatePlan(input)).infrastructure_config);
    expect(tf).toContain("days_since_noncurrent_time = 120");
  });
});

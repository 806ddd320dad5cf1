// A recovery a platform engineer runs as written: every file a step names is one of the plan's recovery files (or
// an input the step declares, such as keys no plan may hold), every value a step needs comes from an earlier
// step's output, and the EFS restore really moves the restored data into the claims' directories.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { efsMoverScript } from "./build-file-backups";
import { generatePlan } from "./generate-plan";
import type { RecoveryPlan } from "./recovery-plans";
import type { RecoveryStep } from "./recovery-commands";
import { planInputSchema } from "./schema";

const clouds = ["aws", "gcp", "azure", "on_premise"] as const;
const workloads = ["training", "inference", "batch", "streaming"] as const;

async function drPlan(cloud_provider: (typeof clouds)[number], workload_type: (typeof workloads)[number]) {
  const out = await generatePlan(
    planInputSchema.parse({ infrastructure_task: "disaster_recovery", cloud_provider, workload_type }),
  );
  const config = out.infrastructure_config as {
    recovery_plans: RecoveryPlan[];
    recovery_files: Record<string, string>;
  };
  return { plans: config.recovery_plans, files: config.recovery_files, out };
}

/** The files and folders a step's argv reads, the way helm, kubectl, kubeadm and terraform take them. */
function pathsOf(argv: readonly string[]): string[] {
  const paths: string[] = [];
  argv.forEach((arg, i) => {
    const previous = argv[i - 1];
    if (arg.startsWith("-chdir=")) paths.push(`${arg.slice("-chdir=".length)}/`);
    else if (arg.startsWith("--from-file=")) paths.push(arg.split("=").at(-1)!);
    else if (previous && ["-f", "--filename", "--values", "--config"].includes(previous) && !/^https?:/.test(arg))
      paths.push(arg);
  });
  return paths;
}

const exists = (files: Record<string, string>, path: string) =>
  path.endsWith("/") ? Object.keys(files).some((f) => f.startsWith(path)) : path in files;

describe.each(clouds)("recovery files on %s", (cloud) => {
  it.each(workloads)(
    "%s: every path a recovery step names is a file of the plan or an input it declares",
    async (w) => {
      const { plans, files } = await drPlan(cloud, w);
      const named = plans.flatMap((p) =>
        p.steps.flatMap((s) =>
          [...pathsOf(s.command), ...pathsOf(s.validation ?? [])].map((path) => ({ step: s, path })),
        ),
      );
      expect(named.length).toBeGreaterThan(3);
      for (const { step, path } of named) {
        const declared = (step.inputs ?? []).some((i) => i.path === path);
        expect(exists(files, path) || declared, `${step.name}: ${path}`).toBe(true);
      }
    },
  );

  it.each(workloads)("%s: every value a step uses comes from an earlier step, none is left to fill in", async (w) => {
    const { plans } = await drPlan(cloud, w);
    for (const plan of plans) {
      const known = new Set<string>();
      for (const step of plan.steps) {
        const argv = [...step.command, ...(step.validation ?? [])].join(" ");
        for (const [, name] of argv.matchAll(/\$\(([A-Z0-9_]+)\)/g))
          expect(known, `${step.name}: $(${name})`).toContain(name);
        if (step.output) known.add(step.output);
      }
      const text = JSON.stringify(plan);
      expect(text).not.toMatch(/REPLACE|<[a-z-]+>|YOUR_/);
    }
  });

  it("reads each Terraform output and sets each variable that the Terraform root declares", async () => {
    const { plans, files } = await drPlan(cloud, "inference");
    for (const step of plans.flatMap((p) => p.steps)) {
      const [tool, chdir, verb, ...rest] = step.command;
      if (tool !== "terraform" || !chdir?.startsWith("-chdir=")) continue;
      const folder = chdir.slice("-chdir=".length);
      const tf = Object.entries(files)
        .filter(([f]) => f.startsWith(`${folder}/`) && f.endsWith(".tf"))
        .map(([, text]) => text)
        .join("\n");
      expect(tf, folder).not.toBe("");
      if (verb === "output") expect(tf).toContain(`output "${rest.at(-1)}" {`);
      rest.forEach((arg, i) => {
        if (rest[i - 1] === "-var") expect(tf).toContain(`variable "${arg.split("=")[0]}" {`);
      });
    }
  });
});

describe("the values files and folders", () => {
  it("hold what the install and apply steps expect", async () => {
    const { files, out } = await drPlan("aws", "training");
    const velero = (out.infrastructure_config.velero as { values_yaml: string }).values_yaml;
    expect(files["velero-values.yaml"]).toBe(velero);
    expect(files["external-secrets-values.yaml"]).toContain("eks.amazonaws.com/role-arn");
    expect(Object.keys(files).filter((f) => f.startsWith("secret-store/"))).toHaveLength(1);
    expect(files["cluster/outputs.tf"]).toContain('output "efs_file_system_id"');
    const dr = Object.keys(files).filter((f) => f.startsWith("disaster-recovery/"));
    expect(dr).toHaveLength(out.deployment_manifests.length);
  });

  it("on premises serves nfs-client from the plan's NFS export", async () => {
    const out = await generatePlan(
      planInputSchema.parse({
        infrastructure_task: "disaster_recovery",
        cloud_provider: "on_premise",
        disaster_recovery: { nfs_export: "filer01.corp.internal:/vol/ml" },
      }),
    );
    const steps = (out.infrastructure_config.recovery_plans as RecoveryPlan[]).flatMap((p) => p.steps);
    const nfs = steps.find((s) => s.command.includes("nfs-subdir-external-provisioner"))!;
    expect(nfs.command).toEqual(
      expect.arrayContaining(["nfs.server=filer01.corp.internal", "nfs.path=/vol/ml", "storageClass.name=nfs-client"]),
    );
  });
});

describe("the External Secrets reinstall", () => {
  it.each(clouds)("on %s comes back, pinned, before the restore that brings ExternalSecrets back", async (cloud) => {
    const { plans } = await drPlan(cloud, "inference");
    const steps = plans
      .find((p) => p.scenario === "cluster_failure")!
      .steps.map((s: RecoveryStep) => s.command.join(" "));
    const install = steps.findIndex((s) =>
      /^helm upgrade --install external-secrets external-secrets --repo https:\/\/charts\.external-secrets\.io --version \d+\.\d+\.\d+ .*--values external-secrets-values\.yaml/.test(
        s,
      ),
    );
    const store = steps.findIndex((s) => s.startsWith("kubectl apply --server-side --recursive -f secret-store/"));
    const restore = steps.findIndex((s) => s.startsWith("velero restore create --from-schedule"));
    expect(install).toBeGreaterThan(0);
    expect(store).toBeGreaterThan(install);
    expect(restore).toBeGreaterThan(store);
  });
});

describe("the EFS restore", () => {
  it("restores into a new file system, moves each claim's directory into place and cleans up", async () => {
    const { plans, files } = await drPlan("aws", "training");
    const main = files["efs-restore/main.tf"]!;
    // The claims' directories are namespace/claim on the shared file system (the efs-sc class's subPathPattern).
    expect(files["cluster/main.tf"]).toMatch(/subPathPattern\s+= "\$\$\{\.PVC\.namespace\}\/\$\$\{\.PVC\.name\}"/);
    expect(files["cluster/main.tf"]).toMatch(/ensureUniqueDirectory = "false"/);
    expect(main).toContain(
      'args    = concat(["/restored", "/shared"], [for claim in var.replace_claims : "--replace=${claim}"], ["ml-training/distributed-training-data", "ml-training/distributed-training-checkpoints"])',
    );
    expect(main).toContain('command = ["python3", "-c", file("${path.module}/move_restored.py")]');
    expect(main).toContain("volume_handle = var.restored_file_system_id");
    expect(main).toContain("volume_handle = data.aws_efs_file_system.shared.id");
    expect(main).toContain("wait_for_completion = true");
    expect(files["efs-restore/move_restored.py"]).toBe(efsMoverScript);
    const steps = plans.find((p) => p.scenario === "cluster_failure")!.steps;
    const restoreJob = steps.find((s) => s.command.includes("start-restore-job"))!;
    expect(restoreJob.command.join(" ")).toContain(
      "--metadata newFileSystem=true,CreationToken=ml-production-efs-restore",
    );
    const wait = steps.find((s) => s.command.includes("describe-restore-job"))!;
    expect(wait.until_output).toBe("COMPLETED");
    const order = [
      steps.indexOf(wait),
      steps.findIndex((s) => s.command.join(" ").startsWith("terraform -chdir=efs-restore apply")),
      steps.findIndex((s) => s.command.join(" ").startsWith("terraform -chdir=efs-restore destroy")),
      steps.findIndex((s) => s.command.join(" ").startsWith("aws efs delete-file-system")),
      steps.findIndex((s) => s.command.join(" ").startsWith("velero restore create")),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

/** Runs the mover's real script against two directory trees standing in for the file systems. */
function runMover(setup: (restored: string, shared: string) => void, claims: string[]) {
  const dir = mkdtempSync(join(tmpdir(), "efs-"));
  const restored = join(dir, "restored");
  const shared = join(dir, "shared");
  mkdirSync(restored);
  mkdirSync(shared);
  setup(restored, shared);
  try {
    const stdout = execFileSync("python3", ["-c", efsMoverScript, restored, shared, ...claims], { encoding: "utf8" });
    return { status: 0, stdout, shared };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, stdout: `${e.stdout}${e.stderr}`, shared };
  }
}

const write = (path: string, text: string) => {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
};

describe("the EFS mover", () => {
  it("copies each claim's directory out of the newest aws-backup-restore_<time>/ into place", () => {
    const run = runMover(
      (restored) => {
        write(join(restored, "aws-backup-restore_2026-12-01T00-00-00Z/ml-training/ckpt/step-1/model.pt"), "old");
        write(join(restored, "aws-backup-restore_2026-12-07T10-00-00Z/ml-training/ckpt/step-9/model.pt"), "weights");
        write(join(restored, "aws-backup-restore_2026-12-07T10-00-00Z/ml-training/ckpt/latest"), "step-9");
      },
      ["ml-training/ckpt"],
    );
    expect(run.status).toBe(0);
    expect(readFileSync(join(run.shared, "ml-training/ckpt/step-9/model.pt"), "utf8")).toBe("weights");
    expect(readdirSync(join(run.shared, "ml-training/ckpt")).sort()).toEqual(["latest", "step-9"]);
    expect(run.stdout).toContain("ml-training/ckpt: 2 files, 13 bytes restored, 0 missing");
  });

  it("keeps a claim directory that outlived the cluster: its data is newer than the backup", () => {
    const run = runMover(
      (restored, shared) => {
        write(join(restored, "aws-backup-restore_2026-12-07T10-00-00Z/ml-training/ckpt/latest"), "step-9");
        write(join(shared, "ml-training/ckpt/latest"), "step-12");
      },
      ["ml-training/ckpt"],
    );
    expect(run.status).toBe(0);
    expect(readFileSync(join(run.shared, "ml-training/ckpt/latest"), "utf8")).toBe("step-12");
    expect(run.stdout).toContain("kept");
  });

  it("replaces a corrupted claim's directory named with --replace, keeping the corrupted files aside", () => {
    const run = runMover(
      (restored, shared) => {
        write(join(restored, "aws-backup-restore_2026-12-07T10-00-00Z/ml-batch/models/m/1/model.plan"), "good");
        write(join(restored, "aws-backup-restore_2026-12-07T10-00-00Z/ml-training/ckpt/latest"), "step-9");
        write(join(shared, "ml-batch/models/m/1/model.plan"), "corrupted");
        write(join(shared, "ml-batch/models/m/2/model.plan"), "bad upload");
        write(join(shared, "ml-training/ckpt/latest"), "step-12");
      },
      ["--replace=ml-batch/models", "ml-batch/models", "ml-training/ckpt"],
    );
    expect(run.status).toBe(0);
    expect(readFileSync(join(run.shared, "ml-batch/models/m/1/model.plan"), "utf8")).toBe("good");
    expect(readdirSync(join(run.shared, "ml-batch/models/m"))).toEqual(["1"]);
    expect(readFileSync(join(run.shared, "ml-batch/models.replaced-2026-12-07T10-00-00Z/m/2/model.plan"), "utf8")).toBe(
      "bad upload",
    );
    // Only the claim named is replaced: the others keep their newer data.
    expect(readFileSync(join(run.shared, "ml-training/ckpt/latest"), "utf8")).toBe("step-12");
  });

  it("refuses to replace a claim it is not restoring", () => {
    const run = runMover(
      (restored) => write(join(restored, "aws-backup-restore_2026-12-07T10-00-00Z/ml-training/ckpt/latest"), "x"),
      ["--replace=ml-batch/models", "ml-training/ckpt"],
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("--replace names claims this plan does not have: ml-batch/models");
  });

  it("fails when a claim is not in the restore, or there is no restore at all", () => {
    const missing = runMover(
      (restored) => write(join(restored, "aws-backup-restore_2026-12-07T10-00-00Z/ml-batch/other/x"), "x"),
      ["ml-training/ckpt"],
    );
    expect(missing.status).toBe(1);
    expect(missing.stdout).toContain("ml-training/ckpt: missing from aws-backup-restore_2026-12-07T10-00-00Z");
    const none = runMover(() => {}, ["ml-training/ckpt"]);
    expect(none.status).toBe(1);
    expect(none.stdout).toContain("no aws-backup-restore_* directory");
  });
});

// The commands recovery steps are made of, spelled once: a Helm release installed or upgraded in place, a
// Terraform root of the recovery files, a Velero restore from the plan's Schedule. Steps are argv arrays, not shell
// strings, so a runner can execute them without a shell.
import type { PlanContext } from "./plan-context";

export interface RecoveryStep {
  name: string;
  /** Paths are relative to the plan's recovery files (infrastructure_config.recovery_files). */
  command: string[];
  timeout_seconds: number;
  validation?: string[];
  rollback?: string[];
  /**
   * The command's standard output, trimmed, is kept under this name: `$(NAME)` in a later step's command or
   * validation is replaced by it (kubectl's notation for references in container arguments), so a value one
   * step finds (a Terraform output, a recovery point) feeds the next without anyone copying it.
   */
  output?: string;
  /** The command is repeated, every 30 seconds, until it prints this; the step fails after timeout_seconds. */
  until_output?: string;
  /** Files the operator brings that no plan can hold (the object store's keys, Terraform state), with what each is. */
  inputs?: { path: string; what: string }[];
}

export interface HelmRelease {
  release: string;
  /** A chart name in `repo`, or an oci:// reference (then no repo). */
  chart: string;
  repo?: string;
  version: string;
  namespace: string;
  /** `--set key=value` pairs, in order. */
  set?: string[];
  /** A values file of the recovery files. */
  values?: string;
}

/** `helm upgrade --install`, pinned and waiting: the same command installs on a new cluster and repairs an old one. */
export function helmUpgradeInstall(r: HelmRelease): string[] {
  return [
    "helm",
    "upgrade",
    "--install",
    r.release,
    r.chart,
    ...(r.repo ? ["--repo", r.repo] : []),
    "--version",
    r.version,
    "--namespace",
    r.namespace,
    "--create-namespace",
    ...(r.set ?? []).flatMap((s) => ["--set", s]),
    ...(r.values ? ["--values", r.values] : []),
    "--wait",
  ];
}

/** `kubectl rollout status` of a workload, bounded so the step fails rather than hangs. */
export function rolloutStatus(target: string, namespace: string, timeout = "300s"): string[] {
  return ["kubectl", "rollout", "status", target, "-n", namespace, `--timeout=${timeout}`];
}

/** `kubectl apply` of a folder of the recovery files, server-side, only the objects `selector` picks when given. */
export function applyFolder(folder: string, selector?: string): string[] {
  return ["kubectl", "apply", "--server-side", "--recursive", "-f", folder, ...(selector ? ["-l", selector] : [])];
}

/** `terraform -chdir=<folder> <args>`: the recovery files keep each Terraform root in a folder of its own. */
export const terraformIn = (folder: string, ...args: string[]) => ["terraform", `-chdir=${folder}`, ...args];

/**
 * A `velero restore create` from the plan's Schedule. Into namespaces that may already hold some of the objects
 * (a rebuilt cluster's operators, a partial restore) `--existing-resource-policy=update` patches them to the backed-up
 * state instead of skipping them; `--wait` returns once the restore has finished, so the next step sees its result.
 */
export function veleroRestoreStep(
  ctx: PlanContext,
  step: {
    name: string;
    namespaces?: string[];
    resources?: string[];
    selector?: string;
    timeout_seconds: number;
    validation?: string[];
  },
): RecoveryStep {
  return {
    name: step.name,
    command: [
      "velero",
      "restore",
      "create",
      "--from-schedule",
      `${ctx.input.cluster_name}-ml-platform`,
      ...(step.namespaces ? ["--include-namespaces", step.namespaces.join(",")] : []),
      ...(step.resources ? ["--include-resources", step.resources.join(",")] : []),
      ...(step.selector ? ["--selector", step.selector] : []),
      "--existing-resource-policy=update",
      "--wait",
    ],
    timeout_seconds: step.timeout_seconds,
    ...(step.validation ? { validation: step.validation } : {}),
  };
}

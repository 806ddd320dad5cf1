// `npm run -s portal -- scan <file.yaml | -> [--fail-on <severity>] [--cloud aws|gcp|azure|on_premise]
// [--storage-class <name>]...`: prints the security report of any manifests, with their viability report under
// "viability". --cloud checks PVCs too, against the StorageClasses that cloud provides plus those the portal's
// cluster plan for it creates (efs-sc on EKS, nfs-client on premises), so a plan's own manifests scan clean;
// --storage-class names further classes the target cluster has. Exit codes: 0 report printed, 1 findings of either
// report at or above --fail-on, 2 bad input (message on stderr).
import { clusterStorageClasses } from "@/lib/plans/plan-context";
import { checkViability } from "@/lib/plans/viability/check-viability";
import { noFacts } from "@/lib/plans/viability/facts";
import { cloudProviders, type CloudProvider } from "@/lib/pricing/lookup-price";
import { checkManifests } from "@/lib/security/check-manifests";
import { defaultParseLimits, parseManifestsYaml } from "@/lib/security/parse-manifests";
import { severities, type Severity } from "@/lib/security/types";
import type { CliCommand } from "./registry";
import { readBoundedInput } from "./read-bounded-input";

const usage = `usage: npm run -s portal -- scan <file.yaml | -> [--fail-on critical|high|medium|low|info] [--cloud ${cloudProviders.join("|")}] [--storage-class <name>]...\n`;

interface ScanArguments {
  source: string;
  failOn?: Severity;
  cloud?: CloudProvider;
  storageClasses?: string[];
}

export function parseScanArguments(
  argv: readonly string[],
): { ok: true; value: ScanArguments } | { ok: false; message: string } {
  let source: string | undefined;
  let failOn: Severity | undefined;
  let cloud: CloudProvider | undefined;
  const storageClasses: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? "";
    if (argument === "--fail-on" || argument.startsWith("--fail-on=")) {
      const value = argument === "--fail-on" ? argv[++index] : argument.slice("--fail-on=".length);
      if (!severities.includes(value as Severity)) {
        return {
          ok: false,
          message: `--fail-on "${value ?? ""}" is not a severity: use one of ${severities.join(", ")}`,
        };
      }
      failOn = value as Severity;
    } else if (argument === "--cloud" || argument.startsWith("--cloud=")) {
      const value = argument === "--cloud" ? argv[++index] : argument.slice("--cloud=".length);
      if (!cloudProviders.includes(value as CloudProvider))
        return {
          ok: false,
          message: `--cloud "${value ?? ""}" is not a cloud: use one of ${cloudProviders.join(", ")}`,
        };
      cloud = value as CloudProvider;
    } else if (argument === "--storage-class" || argument.startsWith("--storage-class=")) {
      const value = argument === "--storage-class" ? argv[++index] : argument.slice("--storage-class=".length);
      // A StorageClass name is a DNS subdomain.
      if (!value || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(value))
        return { ok: false, message: `--storage-class "${value ?? ""}" is not a StorageClass name` };
      storageClasses.push(value);
    } else if (argument.startsWith("--")) {
      return { ok: false, message: `unknown option ${argument}` };
    } else if (source === undefined) {
      source = argument;
    } else {
      return { ok: false, message: `unexpected argument "${argument}": scan reads one file (or - for stdin)` };
    }
  }
  if (source === undefined) return { ok: false, message: "missing input: give a YAML file, or - to read stdin" };
  return {
    ok: true,
    value: { source, failOn, ...(cloud ? { cloud } : {}), ...(storageClasses.length ? { storageClasses } : {}) },
  };
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseScanArguments(argv);
  if (!parsed.ok) {
    process.stderr.write(`scan: ${parsed.message}\n${usage}`);
    return 2;
  }
  const { source, failOn, cloud, storageClasses = [] } = parsed.value;
  let input: Buffer;
  try {
    input = await readBoundedInput(source, defaultParseLimits.maxBytes);
  } catch (error) {
    process.stderr.write(`scan: cannot read ${source}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  if (input.length > defaultParseLimits.maxBytes) {
    process.stderr.write(
      `scan: ${source === "-" ? "stdin" : source} is larger than ${defaultParseLimits.maxBytes} bytes: split it into smaller files\n`,
    );
    return 2;
  }
  const result = parseManifestsYaml(input.toString("utf8"));
  if (!result.ok) {
    for (const error of result.errors) {
      const where = [error.document > 0 ? `document ${error.document}` : "", error.path].filter(Boolean).join(" ");
      process.stderr.write(`scan: ${where ? `${where}: ` : ""}${error.message}\n`);
    }
    return 2;
  }
  const report = checkManifests(result.objects);
  // Without --cloud or --storage-class the cluster's classes are unknown and PVCs are not checked.
  const known =
    cloud || storageClasses.length ? [...(cloud ? clusterStorageClasses[cloud] : []), ...storageClasses] : undefined;
  const viability = checkViability(result.objects, known ? { ...noFacts, providedStorageClasses: known } : noFacts);
  process.stdout.write(`${JSON.stringify({ ...report, viability }, null, 2)}\n`);
  if (failOn) {
    const threshold = severities.indexOf(failOn);
    const failing = severities
      .slice(0, threshold + 1)
      .reduce((sum, severity) => sum + report.counts[severity] + viability.counts[severity], 0);
    if (failing > 0) {
      process.stderr.write(`scan: ${failing} finding(s) at or above ${failOn}\n`);
      return 1;
    }
  }
  return 0;
}

export const scanCommand: CliCommand = {
  summary: "print the security and viability reports of Kubernetes manifests (file or - for stdin)",
  run,
};

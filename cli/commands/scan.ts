// `npm run -s portal -- scan <file.yaml | -> [--fail-on <severity>] [--cloud aws|gcp|azure|on_premise]`: prints the
// security report of any manifests, with their viability report under "viability" (--cloud adds the StorageClasses
// that cloud itself provides, so PVCs are checked too: a class such as efs-sc must be in the manifests). Exit codes: 0 report printed, 1 findings of either report at or
// above --fail-on, 2 bad input (message on stderr).
import { cloudStorageClasses } from "@/lib/plans/plan-context";
import { checkViability } from "@/lib/plans/viability/check-viability";
import { noFacts } from "@/lib/plans/viability/facts";
import { cloudProviders, type CloudProvider } from "@/lib/pricing/lookup-price";
import { checkManifests } from "@/lib/security/check-manifests";
import { defaultParseLimits, parseManifestsYaml } from "@/lib/security/parse-manifests";
import { severities, type Severity } from "@/lib/security/types";
import type { CliCommand } from "./registry";
import { readBoundedInput } from "./read-bounded-input";

const usage = `usage: npm run -s portal -- scan <file.yaml | -> [--fail-on critical|high|medium|low|info] [--cloud ${cloudProviders.join("|")}]\n`;

interface ScanArguments {
  source: string;
  failOn?: Severity;
  cloud?: CloudProvider;
}

export function parseScanArguments(
  argv: readonly string[],
): { ok: true; value: ScanArguments } | { ok: false; message: string } {
  let source: string | undefined;
  let failOn: Severity | undefined;
  let cloud: CloudProvider | undefined;
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
    } else if (argument.startsWith("--")) {
      return { ok: false, message: `unknown option ${argument}` };
    } else if (source === undefined) {
      source = argument;
    } else {
      return { ok: false, message: `unexpected argument "${argument}": scan reads one file (or - for stdin)` };
    }
  }
  if (source === undefined) return { ok: false, message: "missing input: give a YAML file, or - to read stdin" };
  return { ok: true, value: { source, failOn, ...(cloud ? { cloud } : {}) } };
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseScanArguments(argv);
  if (!parsed.ok) {
    process.stderr.write(`scan: ${parsed.message}\n${usage}`);
    return 2;
  }
  const { source, failOn, cloud } = parsed.value;
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
  const viability = checkViability(
    result.objects,
    cloud ? { ...noFacts, providedStorageClasses: cloudStorageClasses[cloud] } : noFacts,
  );
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

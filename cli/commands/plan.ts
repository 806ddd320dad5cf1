// `npm run -s portal -- plan --input <plan.json | -> [--format json|yaml]`: prints the plan output as JSON, or
// the manifests as one multi-document YAML stream. Exit codes: 0 printed, 1 unexpected failure (including a plan
// that fails validation) or a plan with blocking viability findings (printed anyway, findings on stderr),
// 2 invalid input with `path: message` lines on stderr.
import { stringify } from "yaml";
import { generatePlan } from "@/lib/plans/generate-plan";
import { blockingFindings } from "@/lib/plans/viability/blocking-findings";
import { formatPlanInputErrors, planInputSchema } from "@/lib/plans/schema";
import type { CliCommand } from "./registry";
import { readBoundedInput } from "./read-bounded-input";

export const maxInputBytes = 1024 * 1024;
const usage = "usage: npm run -s portal -- plan --input <plan.json | -> [--format json|yaml]\n";

export function parsePlanArguments(
  argv: readonly string[],
): { ok: true; source: string; format: "json" | "yaml" } | { ok: false; message: string } {
  let source: string | undefined;
  let format: "json" | "yaml" = "json";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === "--input" || flag === "-i") source = value();
    else if (flag === "--format" || flag === "-f") {
      const f = value();
      if (f !== "json" && f !== "yaml")
        return { ok: false, message: `--format "${f ?? ""}" is not supported: use json or yaml` };
      format = f;
    } else return { ok: false, message: `unexpected argument "${argv[i]}"` };
  }
  if (!source) return { ok: false, message: "missing --input: give a JSON file, or - to read stdin" };
  return { ok: true, source, format };
}

async function run(argv: string[]): Promise<number> {
  const args = parsePlanArguments(argv);
  if (!args.ok) {
    process.stderr.write(`plan: ${args.message}\n${usage}`);
    return 2;
  }
  let raw: Buffer;
  try {
    raw = await readBoundedInput(args.source, maxInputBytes);
  } catch (error) {
    process.stderr.write(
      `plan: cannot read ${args.source}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  if (raw.length > maxInputBytes) {
    process.stderr.write(
      `plan: input is larger than ${maxInputBytes} bytes (1 MB): a plan request is a few kilobytes, check the file\n`,
    );
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch (error) {
    process.stderr.write(
      `(root): input is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix the syntax\n`,
    );
    return 2;
  }
  const parsed = planInputSchema.safeParse(json);
  if (!parsed.success) {
    for (const e of formatPlanInputErrors(parsed.error)) process.stderr.write(`${e.path}: ${e.message}\n`);
    return 2;
  }
  // The CLI runs without the portal's database, so no live price cache: the offline table prices the plan.
  const output = await generatePlan(parsed.data, null);
  process.stderr.write(
    `plan: costs priced from the ${output.cost_estimate.priced_from.label} (the CLI has no live prices; the portal uses its price cache)\n`,
  );
  if (output.cost_estimate.priced_from.region_mismatch)
    process.stderr.write(`plan: ${output.cost_estimate.priced_from.region_mismatch}\n`);
  if (args.format === "yaml") {
    process.stdout.write(
      output.deployment_manifests.map((m) => stringify(m, { aliasDuplicateObjects: false })).join("---\n"),
    );
  } else {
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  }
  const blocking = blockingFindings(output.viability_report);
  for (const f of blocking) {
    process.stderr.write(
      `plan: ${f.severity} ${f.check} ${[f.object.kind, f.object.namespace, f.object.name].filter(Boolean).join("/")} ${f.path}: ${f.message} Fix: ${f.fix}\n`,
    );
  }
  if (blocking.length > 0) {
    process.stderr.write(
      `plan: ${blocking.length} blocking viability finding(s): this plan would not work once applied\n`,
    );
    return 1;
  }
  return 0;
}

export const planCommand: CliCommand = { summary: "generate an infrastructure plan from a JSON request", run };

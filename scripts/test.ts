// `npm test`: every test, in the order that fails fastest. Stops at the first failing stage.
//   1. Prisma client generation   2. lint: ESLint, import rules (dependency-cruiser), unused files, exports and
//   dependencies (knip), formatting (Prettier)   3. type check   4. unit tests
//   5. integration tests (real PostgreSQL, the Kubernetes API double, real Prometheus)   6. end-to-end tests
//   (Playwright in Debian's Chromium)
// Options: --only lint|types|unit|int|e2e (repeatable).
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const only = process.argv.flatMap((a, i, all) => (a === "--only" ? [all[i + 1]] : []));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

// Every source root the import rules cover.
const cruised = [
  "app",
  "components",
  "lib",
  "worker",
  "cli",
  "scripts",
  "bench",
  "e2e",
  "test-support",
  "proxy.ts",
  "instrumentation.ts",
  "instrumentation-node.ts",
];
const lintSteps: { command: string; args: string[] }[] = [
  { command: bin("eslint"), args: [".", "--max-warnings", "0", "--cache", "--cache-location", ".eslintcache"] },
  {
    command: bin("depcruise"),
    args: [...cruised, "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
  },
  { command: bin("knip"), args: ["--no-progress"] },
  { command: bin("prettier"), args: ["--check", "--log-level", "warn", "."] },
];

const stages: { name: string; label?: string; command: string; args: string[] }[] = [
  { name: "prisma", command: "npm", args: ["run", "-s", "prisma:generate"] },
  ...lintSteps.map((step) => ({ name: "lint", label: `lint (${path.basename(step.command)})`, ...step })),
  { name: "types", command: bin("tsc"), args: ["--noEmit", "-p", "."] },
  { name: "unit", command: bin("vitest"), args: ["run", "--project", "unit"] },
  { name: "int", command: bin("vitest"), args: ["run", "--project", "int"] },
  { name: "e2e", command: bin("playwright"), args: ["test"] },
];

const results: string[] = [];
for (const stage of stages) {
  if (only.length && stage.name !== "prisma" && !only.includes(stage.name)) continue;
  const started = Date.now();
  console.log(`\n━━ ${stage.label ?? stage.name} ━━ ${stage.command.replace(root + "/", "")} ${stage.args.join(" ")}`);
  const result = spawnSync(stage.command, stage.args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push(`${stage.label ?? stage.name}: ${result.status === 0 ? "ok" : "FAILED"} (${seconds} s)`);
  if (result.status !== 0) {
    console.error(
      `\n${results.join("\n")}\nstage "${stage.label ?? stage.name}" failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(1);
  }
}
console.log(`\n${results.join("\n")}`);

// `npm test`: every test, in the order that fails fastest. Stops at the first failing stage.
//   1. Prisma client generation   2. type check   3. unit tests   4. integration tests (real PostgreSQL,
//   the Kubernetes API double, real Prometheus)   5. end-to-end tests (Playwright in Debian's Chromium)
// Options: --only unit|int|e2e|types (repeatable).
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const only = process.argv.flatMap((a, i, all) => (a === "--only" ? [all[i + 1]] : []));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const stages: { name: string; command: string; args: string[] }[] = [
  { name: "prisma", command: "npm", args: ["run", "-s", "prisma:generate"] },
  { name: "types", command: bin("tsc"), args: ["--noEmit", "-p", "."] },
  { name: "unit", command: bin("vitest"), args: ["run", "--project", "unit"] },
  { name: "int", command: bin("vitest"), args: ["run", "--project", "int"] },
  { name: "e2e", command: bin("playwright"), args: ["test"] },
];

const results: string[] = [];
for (const stage of stages) {
  if (only.length && stage.name !== "prisma" && !only.includes(stage.name)) continue;
  const started = Date.now();
  console.log(`\n━━ ${stage.name} ━━ ${stage.command.replace(root + "/", "")} ${stage.args.join(" ")}`);
  const result = spawnSync(stage.command, stage.args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push(`${stage.name}: ${result.status === 0 ? "ok" : "FAILED"} (${seconds} s)`);
  if (result.status !== 0) {
    console.error(`\n${results.join("\n")}\nstage "${stage.name}" failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}
console.log(`\n${results.join("\n")}`);

// `npm run bench`: every benchmark in turn, each printing its own figures (none asserts). The fresh-clone start-up
// benchmark is separate (`npx tsx bench/fresh-start.ts`): it clones, installs and builds, and takes minutes.
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
const benches = [
  "plans-all-combinations.ts",
  "security-scan.ts",
  "scaling-simulator.ts",
  "dr-drills.ts",
  "costs-ingest-and-query.ts",
  "costs-prometheus-ingest.ts",
  "costs-page-response.ts",
  "git-contains.ts",
  "first-load-js.ts",
];
let failed = 0;
for (const file of benches) {
  console.log(`\n━━ bench/${file}`);
  const result = spawnSync(process.execPath, [tsx, "--conditions=react-server", path.join(root, "bench", file)], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

// Prints how long the security scanner takes on hostile and on large legitimate input.
// Run: npx tsx bench/security-scan.ts
import fs from "node:fs";
import path from "node:path";
import { checkManifests } from "@/lib/security/check-manifests";
import { parseManifestsYaml } from "@/lib/security/parse-manifests";

function time(label: string, run: () => unknown, repeats = 5): void {
  run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < repeats; i++) run();
  const perRun = Number(process.hrtime.bigint() - started) / repeats / 1e6;
  const heap = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(`${label.padEnd(58)} ${perRun.toFixed(1).padStart(8)} ms   heap ${heap.toFixed(0)} MiB`);
}

const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
for (let level = 1; level < 9; level++) {
  const name = String.fromCharCode(97 + level);
  levels.push(
    `${name}: &${name} [${Array(9)
      .fill(`*${String.fromCharCode(96 + level)}`)
      .join(", ")}]`,
  );
}
const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n${levels.map((l) => `  ${l}`).join("\n")}\n`;
const configMap = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata: {a: "1"}\n`;
const reference = fs.readFileSync(
  path.resolve(__dirname, "../lib/security/__fixtures__/reference-design.yaml"),
  "utf8",
);
const deployments = Array.from({ length: 200 }, (_, i) =>
  reference.split("---\n")[0]!.replace("distributed-training-job", `job-${i}`),
).join("---\n");
// About 1 MB of legitimate content in 200 documents (the largest accepted input).
const padded = Array.from({ length: 200 }, (_, i) => `${configMap(i)}  blob: "${"x".repeat(5000)}"\n`).join("---\n");

console.log(`input sizes: bomb ${bomb.length} B, 200 Jobs ${deployments.length} B, padded ${padded.length} B`);
time("alias bomb (9^9 expansions) rejected", () => parseManifestsYaml(bomb));
time("500 documents rejected", () =>
  parseManifestsYaml(Array.from({ length: 500 }, (_, i) => configMap(i)).join("---\n")),
);
time("2 MiB input rejected", () => parseManifestsYaml("x".repeat(2 * 1024 * 1024)));
time("1 MB of [ rejected", () => parseManifestsYaml("[".repeat(1_000_000)));
time("~1 MB, 200 documents parsed", () => parseManifestsYaml(padded));
time("reference design parsed + checked", () => {
  const parsed = parseManifestsYaml(reference);
  if (parsed.ok) checkManifests(parsed.objects);
});
const jobs = parseManifestsYaml(deployments);
if (!jobs.ok) throw new Error("bench input invalid");
time("200 training Jobs checked (parse excluded)", () => checkManifests(jobs.objects), 20);

// Prints the first-load JavaScript of pages, read from the production build's own manifests: the runtime chunks
// every page loads (build-manifest.json rootMainFiles) plus the chunks of the page's layouts and the page itself
// (its client reference manifest's entryJSFiles), each counted once, sized raw and gzipped. Polyfills are left
// out: only browsers without ES modules load them. The target is the costs page within 250 kB.
// Chunks those files import lazily (next/dynamic: the costs page's recharts chart) load after hydration; they are
// listed apart, as "lazy", so the figure is not mistaken for everything the page downloads.
// Run after a build (`npm start` or `npx next build`): npx tsx bench/first-load-js.ts [route ...]
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const root = path.resolve(__dirname, "..");
const dist = path.join(root, ".next");
const routes = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ["/(portal)/costs/page", "/(portal)/costs/teams/[slug]/page"];
const targetKb = 250;

function readJson<T>(file: string): T {
  if (!fs.existsSync(file)) {
    console.error(`${path.relative(root, file)} is missing: build first (npm start, or npx next build).`);
    process.exit(2);
  }
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** entryJSFiles of one app route: segment ("[project]/app/…/page") → chunk files. */
function entryJsFiles(route: string): Record<string, string[]> {
  const file = path.join(dist, "server", "app", `${route}_client-reference-manifest.js`);
  if (!fs.existsSync(file)) {
    console.error(
      `no client reference manifest for ${route} (${path.relative(root, file)}); routes look like "/(portal)/costs/page".`,
    );
    process.exit(2);
  }
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } =
    {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox);
  return sandbox.__RSC_MANIFEST![route].entryJSFiles;
}

const build = readJson<{ rootMainFiles: string[] }>(path.join(dist, "build-manifest.json"));
let over = 0;
for (const route of routes) {
  const segments = entryJsFiles(route);
  // The page's own segment and the layouts above it; other entries (not-found, forbidden) load only on those pages.
  const pageSegment = `[project]/app${route}`;
  const wanted = Object.keys(segments).filter(
    (segment) =>
      segment === pageSegment ||
      (segment.endsWith("/layout") && pageSegment.startsWith(segment.slice(0, -"layout".length))),
  );
  const files = new Set<string>(build.rootMainFiles);
  for (const segment of wanted) for (const file of segments[segment]) files.add(file);
  const first = measure(files);
  const lazy = measure(lazyChunks(files));
  const verdict = first.gzip / 1024 <= targetKb ? "within" : "OVER";
  if (verdict === "OVER") over++;
  console.log(
    `${route}: first load ${first.files.length} files, ${kb(first.raw)} raw, ${kb(first.gzip)} gzip (${verdict} the ${targetKb} kB target)`,
  );
  console.log(`  segments: ${wanted.join(", ")}`);
  for (const row of first.files) console.log(row);
  console.log(`  lazy, after hydration: ${lazy.files.length} files, ${kb(lazy.raw)} raw, ${kb(lazy.gzip)} gzip`);
  for (const row of lazy.files) console.log(row);
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function measure(files: Iterable<string>) {
  let raw = 0;
  let gzip = 0;
  const rows: string[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(dist, file));
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    gzip += zipped;
    rows.push(`  ${file.padEnd(40)} ${kb(bytes.length).padStart(10)} ${kb(zipped).padStart(10)} gzip`);
  }
  return { raw, gzip, files: rows };
}

/** Chunks named inside the first-load files (and inside those, transitively) that are not first-load files. */
function lazyChunks(first: Set<string>): Set<string> {
  const lazy = new Set<string>();
  const queue = [...first];
  while (queue.length) {
    const text = fs.readFileSync(path.join(dist, queue.pop()!), "utf8");
    for (const [name] of text.matchAll(/static\/chunks\/[\w-]+\.js/g)) {
      if (first.has(name) || lazy.has(name) || !fs.existsSync(path.join(dist, name))) continue;
      lazy.add(name);
      queue.push(name);
    }
  }
  return lazy;
}
process.exit(over ? 1 : 0);

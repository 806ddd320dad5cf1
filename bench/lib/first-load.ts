// First-load JavaScript of an app route, read from the production build's own manifests: the runtime chunks every
// page loads (build-manifest.json rootMainFiles) plus the chunks of the page's layouts and the page itself (its
// client reference manifest's entryJSFiles), each counted once, sized raw and gzipped. Polyfills are left out: only
// browsers without ES modules load them. Chunks those files import lazily (next/dynamic) load after hydration; they
// are measured apart, so the figure is not mistaken for everything the page downloads.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const root = path.resolve(__dirname, "..", "..");
export const dist = path.join(root, ".next");

export class MissingBuildError extends Error {}

function readJson<T>(file: string): T {
  if (!fs.existsSync(file))
    throw new MissingBuildError(`${path.relative(root, file)} is missing: build first (npm start, or npx next build).`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** entryJSFiles of one app route: segment ("[project]/app/…/page") → chunk files. */
function entryJsFiles(route: string): Record<string, string[]> {
  const file = path.join(dist, "server", "app", `${route}_client-reference-manifest.js`);
  if (!fs.existsSync(file))
    throw new MissingBuildError(
      `no client reference manifest for ${route} (${path.relative(root, file)}); routes look like "/(portal)/costs/page".`,
    );
  const sandbox: { globalThis?: unknown; __RSC_MANIFEST?: Record<string, { entryJSFiles: Record<string, string[]> }> } =
    {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox);
  const entry = sandbox.__RSC_MANIFEST?.[route];
  if (!entry) throw new MissingBuildError(`${route} is not in its own client reference manifest`);
  return entry.entryJSFiles;
}

export interface Sized {
  raw: number;
  gzip: number;
  /** One printable line per file. */
  files: string[];
}

export interface FirstLoad {
  segments: string[];
  first: Sized;
  lazy: Sized;
}

export function firstLoadJs(route: string): FirstLoad {
  const build = readJson<{ rootMainFiles: string[] }>(path.join(dist, "build-manifest.json"));
  const segments = entryJsFiles(route);
  // The page's own segment and the layouts above it; other entries (not-found, forbidden) load only on those pages.
  const pageSegment = `[project]/app${route}`;
  const wanted = Object.keys(segments).filter(
    (segment) =>
      segment === pageSegment ||
      (segment.endsWith("/layout") && pageSegment.startsWith(segment.slice(0, -"layout".length))),
  );
  const files = new Set<string>(build.rootMainFiles);
  for (const segment of wanted) for (const file of segments[segment] ?? []) files.add(file);
  return { segments: wanted, first: measure(files), lazy: measure(lazyChunks(files)) };
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

function measure(files: Iterable<string>): Sized {
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
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    const text = fs.readFileSync(path.join(dist, file), "utf8");
    for (const [name] of text.matchAll(/static\/chunks\/[\w-]+\.js/g)) {
      if (first.has(name) || lazy.has(name) || !fs.existsSync(path.join(dist, name))) continue;
      lazy.add(name);
      queue.push(name);
    }
  }
  return lazy;
}

/**
 * The app route ("/(portal)/requests/[id]/page") that serves a pathname ("/requests/abc"), found among the page files
 * under app/. Static segments win over dynamic ones, as in Next.js.
 */
export function routeOf(pathname: string): string | null {
  const parts = pathname.split("/").filter(Boolean);
  const appDir = path.join(root, "app");
  const walk = (dir: string, rest: string[], prefix: string): string | null => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
    if (rest.length === 0) {
      if (fs.existsSync(path.join(dir, "page.tsx"))) return `${prefix}/page`;
    }
    // Route groups "(portal)" add no path segment.
    for (const e of entries.filter((e) => e.name.startsWith("(")))
      if (!e.name.startsWith("(.")) {
        const found = walk(path.join(dir, e.name), rest, `${prefix}/${e.name}`);
        if (found) return found;
      }
    const [head, ...tail] = rest;
    if (head === undefined) return null;
    const exact = entries.find((e) => e.name === head);
    if (exact) {
      const found = walk(path.join(dir, exact.name), tail, `${prefix}/${exact.name}`);
      if (found) return found;
    }
    for (const e of entries.filter((e) => /^\[[^.].*\]$/.test(e.name))) {
      const found = walk(path.join(dir, e.name), tail, `${prefix}/${e.name}`);
      if (found) return found;
    }
    return null;
  };
  return walk(appDir, parts, "");
}

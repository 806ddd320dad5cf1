// Issue 16 benchmark: every page, as the role that sees it on the demo data, in Chromium. For each page:
//  - server response: the whole HTML document (streamed parts included) fetched with the role's session, 3 warm-up
//    requests then 20 measured; p50 and p95. Target p95 ≤ 300 ms.
//  - hydration: a full page load in Chromium until React has hydrated it (the "hydrated" performance mark the root
//    layout's HydrationMarker sets, measured from the navigation's start); 5 loads, median and worst. Target 1.5 s.
//  - first-load JS gzip, from the build's manifests (bench/lib/first-load.ts). Target 250 kB.
// Pages are found as e2e/all-roles/every-page.spec.ts finds them: the role's main navigation, /requests/new, and the
// first detail page linked from each list. The demo seed has no requests, so before measuring, the engineer submits
// the form's default inference request and the admin approves it: the request detail page is measured applied, with
// its timeline, apply results and live objects. Each role's home page is measured for that role; any other page once, for
// the first role (in the order below) that sees it.
// BENCH_PAGES=/scaling,/costs measures only those pages (each for every role that sees it first); ":id" stands for
// any one path segment, so BENCH_PAGES=/requests/:id measures the request detail page.
// Prints a table (each row as soon as it is measured, then again all together); asserts nothing. Run: npx tsx bench/pages.ts. It starts the e2e server (a fresh demo database, the
// sandbox cluster, the production build when sources changed) on BENCH_PORT (3300), or measures BENCH_URL if set.
// Figures depend on the machine's load: run it on an otherwise idle machine to compare against the targets.
// (performance is the global one on purpose: page.evaluate sends its function to the browser as source text.)
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { chromium, type Browser, type Page } from "@playwright/test";
import { firstLoadJs, MissingBuildError, routeOf } from "./lib/first-load";

const root = path.resolve(__dirname, "..");
const roles = [
  ["ml-engineer", "engineer@demo.local"],
  ["finance", "finance@demo.local"],
  ["sre", "sre@demo.local"],
  ["platform-admin", "admin@demo.local"],
] as const;
const WARM_UP = 3;
const REQUESTS = 20;
const LOADS = 5;
const target = { p95Ms: 300, hydrationMs: 1500, jsKb: 250 };
const only = process.env.BENCH_PAGES
  ? process.env.BENCH_PAGES.split(",").map(
      (p) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:id/g, "(?!new$)[^/]+")}$`),
    )
  : null;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function waitReady(base: string, server: ChildProcess | null): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  while (Date.now() < deadline) {
    if (server && server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
    const ok = await fetch(`${base}/api/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`${base} was not ready within 15 minutes`);
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/signin");
  await page.waitForSelector("html[data-hydrated]");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("current-user").waitFor();
}

/** Submits the default inference request as the engineer, approves it as the admin and waits for its apply. */
async function seedAppliedRequest(browser: Browser, base: string): Promise<void> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(180_000);
  const engineer = await context.newPage();
  await signIn(engineer, "engineer@demo.local");
  await engineer.goto("/requests/new?kind=inference_scaling");
  await engineer.waitForSelector("html[data-hydrated]");
  await engineer.waitForSelector("[data-testid='plan-preview'][data-state='ok']");
  await engineer.getByLabel("Title").fill("Bench: default inference profile");
  await engineer.getByRole("button", { name: "Submit for approval" }).click();
  await engineer.waitForURL(/\/requests\/[a-z0-9]{20,}$/);
  const id = new URL(engineer.url()).pathname.split("/").pop() ?? "";
  await context.close();
  const adminContext = await browser.newContext({ baseURL: base });
  adminContext.setDefaultTimeout(180_000);
  const admin = await adminContext.newPage();
  await signIn(admin, "admin@demo.local");
  const approved = await admin.request.post(`/api/v1/requests/${id}/approve`, {
    data: { comment: "Bench", overrideReason: "Bench on the demo sandbox only" },
  });
  if (!approved.ok())
    throw new Error(`approving the bench request: HTTP ${approved.status()} ${await approved.text()}`);
  const deadline = Date.now() + 5 * 60_000;
  let status = "approved";
  while (Date.now() < deadline && (status === "approved" || status === "applying")) {
    await new Promise((r) => setTimeout(r, 2000));
    status = ((await (await admin.request.get(`/api/v1/requests/${id}`)).json()) as { status: string }).status;
  }
  console.log(`bench request /requests/${id}: ${status}`);
  await adminContext.close();
}

async function pagesOf(page: Page): Promise<string[]> {
  await page.goto("/");
  const links = (selector: string) =>
    page.locator(selector).evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  const pages = new Set(await links("nav[aria-label='Main'] a"));
  if (pages.has("/requests")) pages.add("/requests/new");
  const detail = [
    /^\/requests\/(?!new\b)[^/?#]+$/,
    /^\/clusters\/[^/?#]+$/,
    /^\/drills\/plans\/[^/?#]+$/,
    /^\/drills\/runs\/[^/?#]+$/,
  ];
  for (const list of ["/requests", "/clusters", "/drills"].filter((p) => pages.has(p))) {
    await page.goto(list);
    const hrefs = await links("main a[href^='/']");
    for (const pattern of detail) {
      const first = hrefs.find((h) => pattern.test(h));
      if (first) pages.add(first);
    }
  }
  return [...pages];
}

interface Row {
  path: string;
  role: string;
  p50: number;
  p95: number;
  status: number;
  hydrationMedian: number;
  hydrationWorst: number;
  jsKb: number | null;
}

async function measure(page: Page, pathname: string, role: string): Promise<Row> {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < WARM_UP + REQUESTS; i++) {
    const t = performance.now();
    const response = await page.request.get(pathname, { maxRedirects: 0 });
    await response.body();
    if (i >= WARM_UP) times.push(performance.now() - t);
    status = response.status();
  }
  const hydration: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    await page.goto(pathname);
    await page.waitForSelector("html[data-hydrated]");
    hydration.push(await page.evaluate(() => performance.getEntriesByName("hydrated")[0]?.startTime ?? NaN));
  }
  let jsKb: number | null = null;
  const route = routeOf(pathname);
  if (route)
    try {
      jsKb = firstLoadJs(route).first.gzip / 1024;
    } catch (error) {
      if (!(error instanceof MissingBuildError)) throw error;
    }
  return {
    path: pathname,
    role,
    status,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    hydrationMedian: percentile(hydration, 50),
    hydrationWorst: Math.max(...hydration),
    jsKb,
  };
}

const flag = (over: boolean) => (over ? " !" : "  ");
const header = `${"page".padEnd(34)} ${"role".padEnd(15)} ${"HTTP".padStart(4)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(9)} ${"hydr. med".padStart(10)} ${"hydr. worst".padStart(12)} ${"JS gzip kB".padStart(12)}`;

function line(r: Row): string {
  const js = r.jsKb === null ? "n/a" : r.jsKb.toFixed(1);
  return `${r.path.padEnd(34).slice(0, 34)} ${r.role.padEnd(15)} ${String(r.status).padStart(4)} ${r.p50.toFixed(0).padStart(8)} ${r.p95.toFixed(0).padStart(7)}${flag(r.p95 > target.p95Ms)} ${r.hydrationMedian.toFixed(0).padStart(10)} ${r.hydrationWorst.toFixed(0).padStart(10)}${flag(r.hydrationWorst > target.hydrationMs)} ${js.padStart(10)}${flag(r.jsKb !== null && r.jsKb > target.jsKb)}`;
}

function print(rows: Row[]): void {
  console.log(header);
  console.log("-".repeat(header.length));
  for (const r of rows) console.log(line(r));
  const over = (f: (r: Row) => boolean) => rows.filter(f).map((r) => r.path);
  console.log(
    `\ntargets: p95 ≤ ${target.p95Ms} ms, hydration ≤ ${target.hydrationMs} ms, first-load JS ≤ ${target.jsKb} kB gzip ("!" marks a miss)`,
  );
  console.log(`p95 over: ${over((r) => r.p95 > target.p95Ms).join(", ") || "none"}`);
  console.log(
    `hydration over (worst load): ${over((r) => r.hydrationWorst > target.hydrationMs).join(", ") || "none"}`,
  );
  console.log(`JS over: ${over((r) => r.jsKb !== null && r.jsKb > target.jsKb).join(", ") || "none"}`);
}

async function main(): Promise<void> {
  let server: ChildProcess | null = null;
  let base = process.env.BENCH_URL;
  if (!base) {
    const port = process.env.BENCH_PORT ?? "3300";
    base = `http://127.0.0.1:${port}`;
    console.log(`starting the portal on ${base} (builds first when sources changed)…`);
    server = spawn(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "e2e-server.ts")],
      { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, E2E_PORT: port } },
    );
  }
  let browser: Browser | null = null;
  try {
    await waitReady(base, server);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    await seedAppliedRequest(browser, base);
    const rows: Row[] = [];
    console.error(header);
    const seen = new Set<string>();
    for (const [role, email] of roles) {
      const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
      // Generous: on a busy machine a first render can take long, and a timeout would lose every figure.
      context.setDefaultTimeout(180_000);
      context.setDefaultNavigationTimeout(180_000);
      const page = await context.newPage();
      await signIn(page, email);
      for (const pathname of await pagesOf(page)) {
        if ((pathname !== "/" && seen.has(pathname)) || (only && !only.some((p) => p.test(pathname)))) continue;
        seen.add(pathname);
        const row = await measure(page, pathname, role);
        console.error(line(row));
        rows.push(row);
      }
      await context.close();
    }
    print(rows);
  } finally {
    await browser?.close();
    if (server) {
      server.kill("SIGTERM");
      await new Promise((r) => server?.once("exit", r));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type ConsoleMessage, type Page } from "@playwright/test";
import { signIn } from "../shared/sign-in";
import { gotoHydrated } from "../shared/pages";

// A page on another port of the same host stands in for an attacker's site (same-site for the browser, so the
// session cookie goes along): it cannot show the portal in a frame, and its text/plain form POST does not create a
// request. The portal's own pages load and hydrate under the nonce Content-Security-Policy with no violation.

let attacker: Server;
let attackerOrigin: string;
const pages = new Map<string, string>();

test.beforeAll(async () => {
  attacker = createServer((req, res) => {
    const html = pages.get(req.url ?? "");
    res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
    res.end(html ?? "not found");
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
test.afterAll(async () => new Promise<void>((resolve) => attacker.close(() => resolve())));

/** Console messages that report a Content-Security-Policy violation. */
function collectCspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

async function totalRequests(page: Page): Promise<number> {
  const response = await page.request.get("/api/v1/requests?pageSize=1");
  expect(response.status()).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

test("pages and API responses carry the security headers; the portal's pages run under the nonce CSP with no violation", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000); // several full page loads on a shared machine
  const violations = collectCspViolations(page);
  await signIn(page, "admin@demo.local");
  for (const path of ["/", "/requests/new?kind=inference_scaling", "/costs", "/scaling", "/drills", "/settings"]) {
    const response = await gotoHydrated(page, path);
    const headers = response!.headers();
    const csp = headers["content-security-policy"];
    expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    // Next.js put this response's nonce on every script tag it rendered (the chunks those load later need none:
    // 'strict-dynamic' trusts them).
    const nonce = /'nonce-([^']+)'/.exec(csp!)![1];
    const scriptTags = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scriptTags.length, path).toBeGreaterThan(0);
    expect(
      scriptTags.filter((tag) => !tag.includes(`nonce="${nonce}"`)),
      path,
    ).toEqual([]);
  }
  const api = await page.request.get(`${baseURL}/api/v1/requests`);
  expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["x-frame-options"]).toBe("DENY");
  expect(violations).toEqual([]);
});

test("another site cannot frame the approve page", async ({ page, baseURL }) => {
  await signIn(page, "engineer@demo.local");
  const created = await page.request.post("/api/v1/requests", {
    data: {
      kind: "node_pool",
      title: `Framed ${Date.now()}`,
      teamId: await firstTeamId(page),
      clusterTargetId: await sandboxId(page),
      input: {},
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await page.context().clearCookies();
  await signIn(page, "admin@demo.local");
  await gotoHydrated(page, `/requests/${id}`);
  await expect(page.getByRole("button", { name: /Approve/ }).first()).toBeVisible(); // the page an attacker wants framed

  pages.set(
    "/frame",
    `<!doctype html><title>attacker</title><iframe id="victim" src="${baseURL}/requests/${id}" width="800" height="600"></iframe>`,
  );
  const frameResponse = page.waitForResponse((r) => r.url() === `${baseURL}/requests/${id}`);
  await page.goto(`${attackerOrigin}/frame`, { waitUntil: "load" }); // the load event waits for the iframe too
  expect((await frameResponse).headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const victim = page.frames().find((f) => f.parentFrame() === page.mainFrame());
  expect(victim).toBeDefined();
  // The browser answered the response with its error page: nothing of the portal (the session cookie went along,
  // so an unprotected page would show the signed-in admin and the approve button here).
  const portalShown = await victim!
    .evaluate(
      () =>
        document.querySelector('[data-testid="current-user"]') !== null ||
        (document.body?.innerText ?? "").includes("Approve and apply"),
    )
    .catch(() => false);
  expect(portalShown).toBe(false);
  await expect(page.frameLocator("#victim").getByRole("button", { name: /Approve/ })).toHaveCount(0);
});

test("another site's text/plain form POST to /api/v1/requests is refused and creates nothing", async ({
  page,
  baseURL,
}) => {
  await signIn(page, "engineer@demo.local");
  const teamId = await firstTeamId(page);
  const clusterTargetId = await sandboxId(page);
  const before = await totalRequests(page);

  // The classic JSON-in-a-text/plain-form trick: the name/value pair concatenates into a valid JSON body.
  const body = JSON.stringify({
    kind: "node_pool",
    title: "Made by another site",
    teamId,
    clusterTargetId,
    input: {},
    pad: "",
  });
  const [name, value] = [body.slice(0, -2), body.slice(-2)];
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/'/g, "&#39;");
  pages.set(
    "/csrf",
    `<!doctype html><title>win a prize</title>
    <form method="POST" action="${baseURL}/api/v1/requests" enctype="text/plain"><input type="hidden" name='${escape(name)}' value='${escape(value)}'></form>
    <script>document.forms[0].submit()</script>`,
  );
  const answer = page.waitForResponse(
    (r) => r.url() === `${baseURL}/api/v1/requests` && r.request().method() === "POST",
  );
  await page.goto(`${attackerOrigin}/csrf`);
  const response = await answer;
  expect(response.status()).toBe(403);
  expect(((await response.json()) as { error: { code: string; message: string } }).error.message).toMatch(
    /Sec-Fetch-Site: same-site/,
  );
  expect(await totalRequests(page)).toBe(before);
});

async function firstTeamId(page: Page): Promise<string> {
  await gotoHydrated(page, "/requests/new?kind=node_pool");
  return page.getByLabel("Team").locator("option").first().getAttribute("value") as Promise<string>;
}

async function sandboxId(page: Page): Promise<string> {
  const clusters = (await (await page.request.get("/api/v1/clusters")).json()) as
    { items?: { id: string; name: string }[] } | { id: string; name: string }[];
  const list = Array.isArray(clusters) ? clusters : (clusters.items ?? []);
  const sandbox = list.find((c) => c.name === "sandbox");
  expect(sandbox).toBeDefined();
  return sandbox!.id;
}

// GitOps delivery end to end: a real Git server (git http-backend) and a local GitHub API endpoint run in this spec.
// The admin allows their hosts on Settings, switches the sandbox cluster to Git delivery on the Clusters page, an
// engineer submits a request and the admin approves it; the worker commits the manifests and opens a pull request,
// and the request page shows the commit (the branch's head in the repository) and the pull request link. With the
// remote unreachable the next delivery fails saying why, and Retry delivers it once the remote is back. A merge on
// GitHub shows as "PR #n merged at <sha>" once "Check now" has read it (rather than waiting for the worker's
// once-a-minute read), and still after a reload, from what was stored.
import { expect, test, type Page } from "@playwright/test";
import { serveHttp } from "@/test-support/fake-http-server";
import { startGitHttpServer, type GitHttpServer } from "@/test-support/git-http-server";
import { startGitHubApiDouble, type GitHubApiDouble } from "@/test-support/github-api-double";
import { signIn } from "../shared/sign-in";
import { gotoHydrated, shots, uniqueSuffix, waitForTimeline, approveAcknowledgingPrecheck } from "../shared/pages";

let git: GitHttpServer;
let github: GitHubApiDouble;

test.beforeAll(async () => {
  git = await startGitHttpServer();
  github = await startGitHubApiDouble("acme/deploy");
});
test.afterAll(async () => {
  await github?.close();
  await git?.close();
});

/** The sandbox's delivery form on the Clusters page, opened. */
async function deliveryForm(admin: Page) {
  await gotoHydrated(admin, "/clusters");
  // A closed <details> hides its form from role queries: the summary is found through CSS.
  await admin.locator('details:has(form[aria-label="Delivery of sandbox"]) > summary').click();
  const form = admin.getByRole("form", { name: "Delivery of sandbox" });
  await expect(form).toBeVisible();
  return form;
}

async function setRepoUrl(admin: Page, url: string) {
  const form = await deliveryForm(admin);
  await form.getByLabel(/^Repository URL/).fill(url);
  await form.getByRole("button", { name: "Save delivery" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved");
}

/** The engineer submits a scaling profile for the sandbox through the request form; returns the request's path. */
async function submitted(engineer: Page, title: string): Promise<string> {
  await gotoHydrated(engineer, "/requests/new?kind=inference_scaling");
  await expect(engineer.getByLabel("Target cluster").locator("option:checked")).toHaveText(
    "sandbox — local API double",
  );
  await expect(engineer.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  await engineer.getByLabel("Title").fill(title);
  await engineer.getByRole("button", { name: "Submit for approval" }).click();
  await engineer.waitForURL(/\/requests\/[a-z0-9]{20,}$/);
  await expect(engineer.getByTestId("request-status")).toHaveText("Pending approval");
  return new URL(engineer.url()).pathname;
}

async function approve(admin: Page, requestPath: string) {
  await gotoHydrated(admin, requestPath);
  await waitForTimeline(admin);
  await admin.getByLabel("Comment").fill("Deliver through Git");
  if (await admin.getByLabel("Override reason").isVisible())
    await admin.getByLabel("Override reason").fill("Sandbox only: findings are tracked separately");
  await approveAcknowledgingPrecheck(admin);
}

const requestNumber = async (page: Page) => (await page.locator("h1").textContent())?.match(/REQ-(\d+)/)?.[1];

test("admin: a cluster set to Git delivery gets the approved plan as a commit and a pull request, with Retry", async ({
  page,
  browser,
}) => {
  test.setTimeout(480_000);
  const repoUrl = git.createRepo("deploy");
  // A port nobody listens on: the remote is unreachable (but allowed, so it is the connection that fails).
  const closed = await serveHttp("127.0.0.1", () => {});
  const deadPort = closed.port;
  await closed.close();
  const deadUrl = `http://127.0.0.1:${deadPort}/deploy.git`;

  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, "admin@demo.local");
  const original = ((await (await page.request.get("/api/v1/settings/url-allow-list")).json()) as { entries: string[] })
    .entries;
  const clusters = (await (await page.request.get("/api/v1/clusters")).json()) as { id: string; name: string }[];
  const sandboxId = clusters.find((c) => c.name === "sandbox")?.id;
  expect(sandboxId).toBeTruthy();
  const engineerContext = await browser.newContext();
  const engineer = await engineerContext.newPage();
  await signIn(engineer, "engineer@demo.local");
  try {
    // 1. The Git server's and GitHub's hosts go on the URL allow-list, through Settings.
    await gotoHydrated(page, "/settings");
    const allowForm = page.getByTestId("url-allow-list-form");
    const entries = allowForm.getByLabel("Allowed hosts and networks");
    await entries.fill(
      [...original, `127.0.0.1:${git.port}`, `127.0.0.1:${github.port}`, `127.0.0.1:${deadPort}`].join("\n"),
    );
    await allowForm.getByRole("button", { name: "Save allow-list" }).click();
    await expect
      .poll(
        async () =>
          ((await (await page.request.get("/api/v1/settings/url-allow-list")).json()) as { entries: string[] }).entries,
      )
      .toContain(`127.0.0.1:${git.port}`);

    // 2. The sandbox cluster delivers through Git, set on the Clusters page.
    const form = await deliveryForm(page);
    await form.getByLabel("Delivery mode").selectOption("git");
    await form.getByLabel(/^Repository URL/).fill(repoUrl);
    await form.getByLabel("Base branch").fill("main");
    await form.getByLabel(/^Folder/).fill("clusters");
    await form.getByLabel(/^GitHub owner\/repo/).fill("acme/deploy");
    await form.getByLabel(/^GitHub API URL/).fill(github.url);
    await form.getByRole("button", { name: "Save delivery" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved");
    await expect(page.locator('details:has(form[aria-label="Delivery of sandbox"]) > summary')).toHaveText(
      "Delivery: Git",
    );

    // 3. An engineer submits, the admin approves; the worker commits and opens the pull request.
    const requestPath = await submitted(engineer, `Git delivered scaler ${uniqueSuffix()}`);
    await approve(page, requestPath);
    await expect(page.getByTestId("request-status")).toHaveText("Applied", { timeout: 120_000 });
    const number = await requestNumber(page);
    const branch = `portal/REQ-${number}`;
    const panel = page.getByTestId("git-delivery");
    await expect(panel.getByTestId("git-state")).toHaveText("Pull request open");
    const head = git.git("deploy", "rev-parse", branch).trim();
    await expect(panel.getByTestId("git-commit")).toHaveAttribute("title", head);
    await expect(panel.getByTestId("git-commit")).toHaveText(head.slice(0, 12));
    const pr = github.pulls.at(-1);
    expect(pr?.body).toMatchObject({ head: branch, base: "main" });
    await expect(panel.getByTestId("git-pr")).toHaveText(`#${pr?.number}`);
    await expect(panel.getByTestId("git-pr")).toHaveAttribute("href", github.pullUrl(pr?.number ?? 0));
    // The commit holds the request's manifests under clusters/sandbox/<team>/REQ-n, and names the request.
    const files = git.git("deploy", "ls-tree", "-r", "--name-only", branch, "--", "clusters").split("\n");
    expect(files.filter((f) => new RegExp(`^clusters/sandbox/[^/]+/REQ-${number}/.+\\.yaml$`).test(f)).length).toBe(
      files.filter(Boolean).length,
    );
    expect(files.some((f) => f.endsWith(".yaml") && f.includes("scaledobject"))).toBe(true);
    expect(git.git("deploy", "log", "-1", "--format=%B", branch)).toContain(`REQ-${number}:`);
    await page.screenshot({ path: `${shots}/git-delivery.png`, fullPage: true });

    // 4. The remote goes away: the next delivery fails and says why; Retry delivers it once the remote is back.
    await setRepoUrl(page, deadUrl);
    const failingPath = await submitted(engineer, `Git delivery retried ${uniqueSuffix()}`);
    await approve(page, failingPath);
    await expect(page.getByTestId("request-status")).toHaveText("Apply failed", { timeout: 120_000 });
    const failed = page.getByTestId("git-delivery");
    await expect(failed.getByTestId("git-state")).toHaveText("Failed");
    await expect(failed.getByRole("alert")).toContainText("cannot be reached");
    await expect(failed.getByTestId("git-commit")).toHaveCount(0);
    const failedNumber = await requestNumber(page);

    await setRepoUrl(page, repoUrl);
    await gotoHydrated(page, failingPath);
    await page.getByRole("button", { name: "Retry delivery" }).click();
    await expect(page.getByTestId("request-status")).toHaveText("Applied", { timeout: 120_000 });
    const retried = page.getByTestId("git-delivery");
    const retriedHead = git.git("deploy", "rev-parse", `portal/REQ-${failedNumber}`).trim();
    await expect(retried.getByTestId("git-commit")).toHaveAttribute("title", retriedHead);
    await expect(retried.getByTestId("git-pr")).toHaveText(`#${github.pulls.at(-1)?.number}`);
    expect(github.pulls.at(-1)?.body).toMatchObject({ head: `portal/REQ-${failedNumber}` });

    // 5. Someone merges the first pull request; "Check now" reads it at once (no wait for the worker's minute), and
    // the request page shows the merge from what was stored, after a reload too.
    git.git("deploy", "update-ref", "refs/heads/main", branch);
    const mergeSha = git.git("deploy", "rev-parse", "main").trim();
    github.merge(pr?.number ?? 0, mergeSha);
    await gotoHydrated(page, requestPath);
    const checkNow = page.getByTestId("git-delivery").getByRole("button", { name: "Check now" });
    // A read less than 10 s old (the worker's) is answered 429 "check again in n s": press again after it.
    await expect(async () => {
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith("/refresh-delivery") && r.request().method() === "POST"),
        checkNow.click(),
      ]);
      expect(answer.status()).toBe(200);
      expect(((await answer.json()) as { pr: { state: string; mergeSha: string } }).pr).toMatchObject({
        state: "merged",
        mergeSha,
      });
    }).toPass({ intervals: [4_000], timeout: 60_000 });
    await expect(page.getByTestId("git-delivery").getByTestId("git-pr-state")).toContainText(
      `merged at ${mergeSha.slice(0, 12)}`,
    );
    await gotoHydrated(page, requestPath);
    await expect(page.getByTestId("git-state")).toHaveText("Merged");
    await expect(page.getByTestId("git-delivery")).toContainText(
      `PR #${pr?.number} merged at ${mergeSha.slice(0, 12)}`,
    );
  } finally {
    await engineerContext.close();
    // Other specs apply to the sandbox directly and fetch with the seeded allow-list.
    expect(
      (await page.request.put(`/api/v1/clusters/${sandboxId}/delivery`, { data: { deliveryMode: "direct" } })).ok(),
    ).toBe(true);
    expect((await page.request.put("/api/v1/settings/url-allow-list", { data: { entries: original } })).ok()).toBe(
      true,
    );
  }
});

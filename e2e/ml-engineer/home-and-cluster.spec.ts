// What a new engineer and SRE see first: a home page that says what needs them, and the live cluster view one
// click away (nodes by pool, the GPU pod waiting and the scheduler's reason), read from the sandbox cluster.
import { expect, test } from "@playwright/test";
import { gotoHydrated, shots } from "../shared/pages";
import { signIn } from "../shared/sign-in";

test("an engineer's home shows the team's requests, spend against budget and cluster GPUs, and leads to the cluster", async ({
  page,
}) => {
  await signIn(page, "engineer@demo.local");
  await gotoHydrated(page, "/");
  await expect(page.getByTestId("home-needs")).toBeVisible();
  await expect(page.getByRole("heading", { name: "My team's requests" })).toBeVisible();
  // The engineer is in NLP only: its budget, not the other teams'.
  const budgets = page.getByTestId("home-budgets");
  await expect(budgets.locator("li")).toHaveCount(1);
  await expect(budgets.locator('[data-team="nlp"]')).toContainText("forecast");
  const cluster = page.locator('[data-testid="home-cluster"][data-cluster="sandbox"]');
  await expect(cluster.getByRole("meter")).toHaveAttribute("aria-valuetext", /of \d+ GPUs/);
  await expect(cluster.getByRole("link", { name: /GPU pod.* waiting/ })).toBeVisible();
  await page.screenshot({ path: `${shots}/home-engineer.png`, fullPage: true });

  await cluster.getByRole("link", { name: "sandbox" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "sandbox" })).toBeVisible();
  const pools = page.getByTestId("node-pools");
  await expect(pools.locator('tbody[data-pool="gpu-training"] tr[data-node]')).toHaveCount(2);
  await expect(pools.locator('tbody[data-pool="gpu-training"] .group-row')).toContainText("16");
  const pending = page.getByTestId("pending-gpu-pods");
  await expect(pending).toContainText("ml-research/llama-finetune-worker-0");
  await expect(pending).toContainText("FailedScheduling");
  await expect(pending).toContainText("Insufficient nvidia.com/gpu");
  await page.screenshot({ path: `${shots}/cluster-view.png`, fullPage: true });
});

test("an SRE's home shows drills due, the newest backups and the RTO/RPO trend", async ({ page }) => {
  await signIn(page, "sre@demo.local");
  await gotoHydrated(page, "/");
  await expect(page.getByTestId("home-drills-due")).toBeVisible();
  await expect(page.getByTestId("home-drills-due").locator("li a").first()).toHaveAttribute(
    "href",
    /^\/drills\/plans\//,
  );
  // The sandbox's seeded Velero backups, newest first.
  // Newest first: the sandbox's frequent schedule backs up every 2 minutes, so it has made one by now, or the
  // seeded daily backup is still the newest.
  await expect(page.getByTestId("home-backups").locator("li").first()).toContainText(
    /(ml-inference-frequent-\d{14}|daily-ml-inference-latest) Completed/,
  );
  await expect(page.getByTestId("home-trend")).toBeVisible();
  await page.screenshot({ path: `${shots}/home-sre.png`, fullPage: true });
});

test("a finance user's home shows every team against its budget and the top savings, linked to the drawer", async ({
  page,
}) => {
  await signIn(page, "finance@demo.local");
  await gotoHydrated(page, "/");
  // The demo's three teams (other specs may have created more in this database).
  for (const slug of ["nlp", "recsys", "vision"]) {
    await expect(page.getByTestId("home-budgets").locator(`li[data-team="${slug}"]`)).toContainText(
      /forecast \$[\d,]+ by month end/,
    );
  }
  const top = page.getByTestId("home-savings").getByRole("link").filter({ hasText: /./ }).nth(1);
  const title = (await top.textContent())!;
  await top.click();
  await expect(page.getByTestId("recommendation-drawer").getByRole("heading", { name: title })).toBeVisible();
});

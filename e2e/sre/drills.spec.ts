import { expect, test } from "@playwright/test";
import { signIn } from "../shared/sign-in";

// An SRE proves recovery on the sandbox cluster: a dry run first (it changes nothing), then a live drill of the
// model_corruption template, confirming its manual step, and reads RTO, RPO and the verdict. Finance sees no drill.

test("an SRE dry-runs, then runs model_corruption live on the sandbox and sees RTO, RPO and the verdict", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, "sre@demo.local");
  await page.goto("/drills");
  await expect(page.getByTestId("dr-plans")).toContainText("Model Artifact Recovery");
  await expect(page.getByTestId("cluster-backups")).toContainText("sandbox");

  await page.getByTestId("drill-dry-model_corruption").click();
  await page.getByRole("dialog").getByRole("button", { name: "Start dry run" }).click();
  await expect(page).toHaveURL(/\/drills\/runs\/[a-z0-9]+$/);
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText(/dry run (passed|failed)/, { timeout: 60_000 });
  await expect(verdict).toContainText("nothing was changed");

  await page.goto("/drills");
  await page.getByTestId("drill-live-model_corruption").click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("It will act on cluster sandbox in namespaces ml-inference");
  await dialog.getByLabel(/Type the cluster name/).fill("sandbox");
  await dialog.getByRole("button", { name: "Run live on sandbox" }).click();
  await expect(page).toHaveURL(/\/drills\/runs\/[a-z0-9]+$/);
  await expect(page.getByText("LIVE", { exact: true })).toBeVisible();

  // The drill pauses at "Identify last good model version" for the operator (if it gets that far), then ends.
  const confirm = page.getByRole("button", { name: "Confirm done" });
  await expect(async () => {
    if (await confirm.isVisible()) await confirm.click();
    await expect(verdict.locator(".badge")).toHaveText(/^(passed|failed|aborted)$/, { timeout: 1000 });
  }).toPass({ timeout: 120_000 });
  await expect(page.getByTestId("objective-rto")).toContainText("RTO measured / target");
  await expect(page.getByTestId("objective-rto")).toContainText("/ 15 min");
  await expect(page.getByTestId("objective-rpo")).toContainText("/ 60 min");
  await expect(page.getByTestId("objective-rpo")).toContainText(/within target|over target/);
  await expect(verdict).not.toContainText("in progress");
  await expect(page.getByRole("link", { name: "Report (Markdown)" })).toHaveAttribute("href", /\/report\?format=md$/);
});

test("a finance user sees no drill button and cannot start one through the API", async ({ page }) => {
  await signIn(page, "finance@demo.local");
  const response = await page.goto("/drills");
  expect(response?.status()).toBe(403);
  await expect(page.locator("[data-testid^='drill-']")).toHaveCount(0);
  const api = await page.request.post("/api/v1/drills", { data: { planKey: "model_corruption" } });
  expect(api.status()).toBe(403);
});

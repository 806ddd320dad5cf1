import { expect, test } from "@playwright/test";
import { gotoHydrated } from "../shared/pages";
import { signIn } from "../shared/sign-in";

// An SRE proves recovery on the sandbox cluster: a dry run first (it changes nothing), then a live drill of the
// model_corruption template as the demo seeds it (fitted to the sandbox: llm-server, probed from inside the
// sandbox cluster), and reads RTO, RPO and the verdict. Finance sees no drill.

test("an SRE dry-runs, then runs model_corruption live on the sandbox and sees RTO, RPO and the verdict", async ({
  page,
}) => {
  test.setTimeout(150_000);
  await signIn(page, "sre@demo.local");
  await gotoHydrated(page, "/drills");
  await expect(page.getByTestId("dr-plans")).toContainText("Model Artifact Recovery");
  await expect(page.getByTestId("cluster-backups")).toContainText("sandbox");

  await page.getByTestId("drill-dry-model_corruption").click();
  await page.getByRole("dialog").getByRole("button", { name: "Start dry run" }).click();
  await expect(page).toHaveURL(/\/drills\/runs\/[a-z0-9]+$/);
  const verdict = page.getByTestId("verdict");
  await expect(verdict).toContainText(/dry run: (passed|failed)/, { timeout: 60_000 });
  await expect(verdict).toContainText("nothing was changed");

  await gotoHydrated(page, "/drills");
  await page.getByTestId("drill-live-model_corruption").click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("It will act on cluster sandbox in namespaces ml-inference");
  // Before anyone types the cluster name, the dialog says what the drill destroys or replaces, and where.
  await expect(dialog.getByTestId("destructive-steps").getByRole("listitem")).toHaveText([
    "Step 2 (Corrupt the model reference): roll out Deployment ml-inference/llm-server with the model reference registry.invalid/ml-platform/corrupt-model:dr-drill (a corrupt model) on sandbox",
    "Step 3 (Rollback model deployment): roll Deployment ml-inference/llm-server back to its previous revision on sandbox",
  ]);
  await dialog.getByLabel(/Type the cluster name/).fill("sandbox");
  await dialog.getByRole("button", { name: "Run live on sandbox" }).click();
  await expect(page).toHaveURL(/\/drills\/runs\/[a-z0-9]+$/);
  await expect(page.getByText("LIVE", { exact: true })).toBeVisible();

  // No manual step: the drill records the golden answers, corrupts the model, rolls back and compares the answers.
  await expect(verdict.locator(".badge")).toHaveText(/^(passed|failed|aborted)$/, { timeout: 120_000 });
  await expect(verdict.locator(".badge")).toHaveText("passed");
  await expect(page.getByTestId("objective-rto")).toContainText("within target");
  await expect(page.getByTestId("objective-rto")).toContainText("/ 15 min");
  // The undo returns to the revision that served until the injected corruption: no backup, no RPO, and it says so.
  await expect(page.getByTestId("objective-rpo")).toContainText("/ 1 h");
  await expect(page.getByTestId("objective-rpo")).toContainText(
    "n/a: recovered by rollout undo of ml-inference/llm-server to revision",
  );
  await expect(page.getByTestId("objective-rpo")).not.toContainText("within target");
  // The rollout undo already brought back the image the drill replaced: the roll-forward says nothing needed changing,
  // rather than "revision 4 → revision 4".
  await expect(page.getByTestId("drill-steps")).toContainText(
    "ml-inference/llm-server already as before the drill (undoing corrupt_model",
  );
  await page.screenshot({ path: "test-results/screenshots/drill-passed.png", fullPage: true });
  await expect(verdict).not.toContainText("in progress");
  test.info().annotations.push({ type: "verdict", description: (await verdict.innerText()).replace(/\s+/g, " ") });
  await expect(page.getByRole("link", { name: "Report (Markdown)" })).toHaveAttribute("href", /\/report\?format=md$/);
  // History tells the dry run from the live one: a dry run's verdict is never the green of a proven recovery.
  await gotoHydrated(page, "/drills/plans/model_corruption");
  await expect(
    page
      .locator("tr[data-mode=dry_run] .badge")
      .filter({ hasText: /^dry run: / })
      .first(),
  ).toBeVisible();
  await expect(page.locator("tr[data-mode=dry_run] .badge-success")).toHaveCount(0);
  await expect(page.locator("tr[data-mode=live] [data-testid=drill-mode]").first()).toHaveText("live");
});

test("a finance user sees no drill button and cannot start one through the API", async ({ page }) => {
  await signIn(page, "finance@demo.local");
  const response = await gotoHydrated(page, "/drills");
  expect(response?.status()).toBe(403);
  await expect(page.locator("[data-testid^='drill-']")).toHaveCount(0);
  const api = await page.request.post("/api/v1/drills", { data: { planKey: "model_corruption" } });
  expect(api.status()).toBe(403);
});

test("an SRE copies a template and saves an edit as a new version", async ({ page }) => {
  await signIn(page, "sre@demo.local");
  await gotoHydrated(page, "/drills/plans/data_loss");
  await page.getByLabel("Copy as").fill("pipeline_gameday");
  await page.getByRole("button", { name: "Copy plan" }).click();
  await expect(page).toHaveURL(/\/drills\/plans\/pipeline_gameday$/);
  await expect(page.getByText("v1", { exact: true })).toBeVisible();
  await page.getByLabel("RTO target (min)").fill("45");
  await page.getByLabel("Change note").fill("longer replay window");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.getByRole("status")).toContainText("Saved as version 2");
  await expect(page.getByText("v2", { exact: true })).toBeVisible();
  // A bad edit is refused with the field named.
  await page.getByLabel("RTO target (min)").fill("0");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.locator(".alert-danger[role=alert]")).toContainText("rtoMinutes");
});

import { expect, test, type Page } from "@playwright/test";
import { signIn } from "../shared/sign-in";
import { gotoHydrated, shots, waitForTimeline, approveAcknowledgingPrecheck } from "../shared/pages";

// The journey: an engineer submits an inference scaling profile with a live preview, an admin approves
// it, the worker applies it to the sandbox cluster, and the engineer sees "Applied" with the per-object results.
// Along the way: a finance user cannot approve (403) and another team's engineer cannot see the request.

async function previewMs(page: Page): Promise<number> {
  await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  return Number(await page.getByTestId("preview-ms").textContent());
}

test("an engineer's inference scaling request is approved, applied to the sandbox, and shown as Applied", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const title = `Llama serving ${Date.now()}`;

  // 1. The engineer fills the form; the preview follows every change.
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, "engineer@demo.local");
  await gotoHydrated(page, "/requests/new?kind=inference_scaling");
  await expect(page.getByRole("radio", { name: /Inference scaling profile/ })).toBeChecked();
  await expect(page.getByLabel("Target cluster")).toContainText("sandbox — local API double");
  await expect(page.getByLabel("Team")).toContainText("NLP");
  const timings = [await previewMs(page)];
  await expect(page.getByLabel("Generated Kubernetes manifests", { exact: true })).toContainText("kind: ScaledObject");

  // Another kind shows its own sections and its own objects; back to the scaling profile afterwards.
  await page.getByRole("radio", { name: /Distributed training job/ }).check();
  await expect(page.getByRole("heading", { name: "Training job" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Model server" })).toHaveCount(0);
  await expect(page.getByLabel("Generated Kubernetes manifests", { exact: true })).toContainText("kind: Job");
  await expect(page.getByLabel("Title")).toHaveValue("Distributed training job on ml-production");
  await page.getByRole("radio", { name: /Inference scaling profile/ }).check();
  await expect(page.getByRole("heading", { name: "Model server" })).toBeVisible();
  await expect(page.getByLabel("Generated Kubernetes manifests", { exact: true })).toContainText("kind: ScaledObject");

  // A bad value is refused next to the field, and the panel says why instead of showing stale output.
  const max = page.getByLabel("Maximum replicas");
  await max.fill("0");
  await max.blur();
  await expect(page.locator("#f-input-scale-requirements-max-replicas-error")).toContainText(
    "Maximum replicas must be at least 1",
  );
  await expect(max).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("preview-error")).toContainText("max_replicas");

  for (const value of ["8", "12", "16"]) {
    await max.fill(value);
    await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
    timings.push(await previewMs(page));
  }
  await expect(max).toHaveAttribute("aria-invalid", "false");
  console.log(`preview update (parse + generatePlan in Chromium), ms: ${timings.join(", ")}`);

  await page.getByLabel("Title").fill(title);
  await page.getByRole("tab", { name: "Cost" }).click();
  await expect(page.getByTestId("cost-expected")).toContainText("$");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${shots}/request-form-live-preview.png`, fullPage: false });
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await page.waitForURL(/\/requests\/[a-z0-9]{20,}$/);
  const requestUrl = new URL(page.url()).pathname;
  const requestId = requestUrl.split("/").pop()!;
  await expect(page.getByTestId("request-status")).toHaveText("Pending approval");
  await expect(page.getByTestId("approval-panel")).toHaveCount(0);

  // 2. Finance may read requests but not approve them.
  const finance = await browser.newPage();
  await signIn(finance, "finance@demo.local");
  const refused = await finance.request.post(`/api/v1/requests/${requestId}/approve`, {
    data: { comment: "looks fine" },
  });
  expect(refused.status()).toBe(403);
  await finance.close();

  // 3. An engineer of another team cannot open it.
  const vision = await browser.newPage();
  await signIn(vision, "vision-engineer@demo.local");
  const hidden = await vision.goto(requestUrl);
  expect([403, 404]).toContain(hidden?.status());
  await expect(vision.getByText(title)).toHaveCount(0);
  await vision.close();

  // 4. The admin finds it in the approval queue and approves it.
  const admin = await browser.newPage();
  await signIn(admin, "admin@demo.local");
  await admin.goto("/requests");
  await admin.setViewportSize({ width: 1440, height: 900 });
  await admin.getByRole("link", { name: "Approval queue" }).click();
  await expect(admin).toHaveURL(/status=pending_approval/);
  await expect(admin.getByLabel("Status")).toHaveValue("pending_approval");
  await expect(admin.getByTestId("requests-table")).toContainText("pending approval");
  await admin.screenshot({ path: `${shots}/approval-queue.png` });
  await admin.getByRole("link", { name: title }).click();
  await expect(admin.getByTestId("request-status")).toHaveText("Pending approval");
  // The diff against what is live: a server-side dry-run in the sandbox changes nothing.
  await admin.getByRole("tab", { name: "Diff" }).click();
  await admin.getByRole("button", { name: "Dry-run against sandbox" }).click();
  await expect(admin.getByTestId("dry-run")).toContainText("The cluster accepts all");
  await admin.getByLabel("Comment").fill("Capacity is available in the sandbox");
  if (await admin.getByLabel("Override reason").isVisible())
    await admin.getByLabel("Override reason").fill("Sandbox only: findings are tracked separately");
  await admin.screenshot({ path: `${shots}/request-pending-admin.png` });
  await approveAcknowledgingPrecheck(admin);
  // The timeline polls and the page refreshes itself when the worker finishes.
  await expect(admin.getByTestId("request-status")).toHaveText("Applied", { timeout: 90_000 });
  await expect(admin.getByTestId("timeline")).toContainText("Dry-run passed");
  await admin.close();

  // 5. The engineer sees "Applied" and every object created in the sandbox cluster.
  await page.reload();
  await expect(page.getByTestId("request-status")).toHaveText("Applied");
  const rows = page.getByTestId("apply-result-row");
  await expect(rows.first()).toBeVisible();
  const outcomes = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-outcome")));
  expect(outcomes.length).toBeGreaterThan(3);
  // Namespaces the sandbox already has are "configured"; everything the request adds is "created"; nothing fails.
  expect(outcomes.filter((o) => o !== "created" && o !== "configured")).toEqual([]);
  expect(outcomes.filter((o) => o === "created").length).toBeGreaterThan(3);
  await expect(rows.filter({ hasText: "ScaledObject/" })).toHaveAttribute("data-outcome", "created");
  await expect(rows.filter({ hasText: "Deployment/" })).toHaveAttribute("data-outcome", "created");
  await expect(page.getByTestId("decision")).toContainText("approved by Ada Admin");
  await page.screenshot({ path: `${shots}/request-applied.png`, fullPage: true });

  // The objects are really in the cluster: a drift check finds them all in sync.
  await page.getByRole("button", { name: "Check drift" }).click();
  await expect(page.getByTestId("drift-report")).toContainText("In sync");

  // The live cluster view shows what the request applied with its live status, and links back to the request.
  const requestPageUrl = page.url();
  const number = (await page.locator("h1").textContent())?.match(/REQ-(\d+)/)?.[1];
  await page.getByTestId("live-objects-link").click();
  await expect(page).toHaveURL(new RegExp(`/clusters/[^/#]+#request-${number}$`));
  const section = page.locator(`#request-${number}`);
  await expect(section.getByRole("row", { name: /Deployment/ })).toContainText(/ready|progressing/);
  await expect(section.getByRole("row", { name: /ScaledObject/ })).toBeVisible();
  await section.getByRole("link", { name: new RegExp(`REQ-${number}`) }).click();
  await expect(page).toHaveURL(requestPageUrl);
  await waitForTimeline(page);

  // Revert asks first, naming every object it will delete, then removes them.
  await page.getByRole("button", { name: "Revert" }).click();
  const dialog = page.getByRole("dialog");
  // Only what the request created: the namespace the sandbox already had ("configured") is kept.
  const createdCount = outcomes.filter((o) => o === "created").length;
  await expect(dialog.getByTestId("revert-objects").getByRole("listitem")).toHaveCount(createdCount);
  await expect(dialog).toContainText("ScaledObject/ml-inference/model-server-scaler");
  await expect(dialog.getByTestId("revert-objects")).not.toContainText("Namespace/ml-inference");
  await dialog.getByRole("button", { name: `Delete ${createdCount} objects` }).click();
  await expect(page.getByTestId("request-status")).toHaveText("Reverted", { timeout: 60_000 });
});

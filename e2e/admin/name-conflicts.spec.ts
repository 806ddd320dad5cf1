import { expect, test, type Page } from "@playwright/test";
import { requestFormHref } from "@/lib/requests/draft-link";
import { signIn } from "../shared/sign-in";
import { gotoHydrated, shots, uniqueSuffix, waitForTimeline } from "../shared/pages";

// Two engineers' requests would create the same model server (a Deployment of the same name in the same namespace):
// approving the second would overwrite the first once both are applied. The admin's dry-run shows the taken name,
// the request that holds it and the way out before the approval, as it shows the quota and reachability.

async function submit(page: Page, server: string, minReplicas: number, title: string): Promise<string> {
  await gotoHydrated(
    page,
    requestFormHref(
      { model_server: { name: server, gpus_per_replica: 1 }, scale_requirements: { min_replicas: minReplicas } },
      "inference_scaling",
    ),
  );
  await expect(page.getByTestId("plan-preview")).toHaveAttribute("data-state", "ok");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await page.waitForURL(/\/requests\/[a-z0-9]{20,}$/);
  return new URL(page.url()).pathname;
}

test("the dry-run shows a model server name another open request would create, with the fix, before approval", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const suffix = uniqueSuffix();
  const server = `shared-${suffix}`;
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, "engineer@demo.local");
  const first = await submit(page, server, 1, `First server ${suffix}`);
  const second = await submit(page, server, 2, `Second server ${suffix}`);
  await gotoHydrated(page, first);
  const firstNumber = (await page.getByRole("heading", { level: 1 }).textContent())?.match(/REQ-(\d+)/)?.[1];
  expect(firstNumber).toBeTruthy();

  const admin = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await signIn(admin, "admin@demo.local");
  await gotoHydrated(admin, second);
  await waitForTimeline(admin);
  await admin.getByRole("tab", { name: "Diff" }).click();
  await admin.getByRole("button", { name: "Dry-run against sandbox" }).click();
  const preconditions = admin.getByTestId("preconditions");
  await expect(preconditions).toContainText("A pre-condition fails: the apply would stop");
  // The Deployment's row (the ScaledObject "<server>-scaler" is taken too, and has its own row).
  const row = preconditions
    .getByRole("row")
    .filter({ hasText: `Name free: ml-inference/${server}` })
    .filter({ hasText: "Deployment" });
  await expect(row).toContainText("also in an open request");
  await expect(row).toContainText(
    `Deployment ml-inference/${server} is also in REQ-${firstNumber} (pending approval), not applied yet: rename the workload in one of the two requests, or reject one`,
  );
  await expect(admin.getByTestId("precondition-warning")).toContainText(`is also in REQ-${firstNumber}`);
  await admin.screenshot({ path: `${shots}/dry-run-name-conflict.png`, fullPage: true });
  await admin.close();
});

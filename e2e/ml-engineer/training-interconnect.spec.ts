import { expect, test } from "@playwright/test";
import { signIn } from "../shared/sign-in";
import { gotoHydrated } from "../shared/pages";

// The training form's interconnect switch (training.efa) follows the cloud and its training pool: on for EFA and
// InfiniBand types, disabled with the reason elsewhere.

test("an engineer sees the training interconnect switch follow the cloud", async ({ page }) => {
  await signIn(page, "engineer@demo.local");
  await gotoHydrated(page, "/requests/new?kind=training_job");
  const box = page.getByLabel("High-speed interconnect (EFA / InfiniBand)");
  await expect(box).toBeChecked();
  await expect(box).toBeEnabled();
  await expect(box).toHaveAccessibleDescription(/p4d\.24xlarge talk NCCL over EFA/);

  await page.getByLabel("Cloud", { exact: true }).selectOption("gcp");
  await expect(box).toBeDisabled();
  await expect(box).toHaveAccessibleDescription(/Not available on GKE/);

  await page.getByLabel("Cloud", { exact: true }).selectOption("azure");
  await expect(box).toBeEnabled();
  await expect(box).toHaveAccessibleDescription(/InfiniBand.*NVIDIA Network Operator/);
  await box.uncheck();
  await expect(box).not.toBeChecked();
});

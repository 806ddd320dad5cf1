import { expect, test } from "@playwright/test";
import { signIn } from "../shared/sign-in";
import { gotoHydrated, shots } from "../shared/pages";

// The pages around a request: the list (filters, empty state) and the cluster targets requests are applied to.

test("an engineer filters the requests list and sees the clusters without admin controls", async ({ page }) => {
  await signIn(page, "engineer@demo.local");
  await gotoHydrated(page, "/requests?q=no-such-request-title");
  await expect(page.getByTestId("requests-empty")).toContainText("No request matches these filters");
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(/\/requests$/);
  // With no request yet (this spec runs on a fresh database) the empty state points at "New request" too.
  await expect(page.locator("a.btn", { hasText: "New request" })).toHaveAttribute("href", "/requests/new");
  // Engineers do not approve: no approval queue preset.
  await expect(page.getByRole("link", { name: "Approval queue" })).toHaveCount(0);

  await gotoHydrated(page, "/clusters");
  const sandbox = page
    .getByTestId("clusters-table")
    .getByRole("row", { name: /sandbox/ })
    .filter({ hasNotText: "sandbox-standby" });
  await expect(sandbox).toContainText("sandbox local API double");
  await expect(sandbox).toContainText("kubeconfig-context:sandbox");
  await expect(page.getByTestId("register-cluster")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Check connection/ })).toHaveCount(0);
});

test("an admin checks the sandbox connection and registers a cluster, with field errors in the browser", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, "admin@demo.local");
  await gotoHydrated(page, "/clusters");
  await page.getByRole("button", { name: "Check connection to sandbox", exact: true }).click();
  await expect(page.getByTestId("connection-result")).toContainText("accepts the portal's credentials");

  const form = page.getByTestId("register-cluster");
  await form.getByLabel("Name", { exact: true }).fill("Prod_West");
  await form.getByLabel("Credentials").fill("kubeconfig-context:sandbox");
  // The server the context's credentials belong to is shown; the field itself may stay empty.
  await expect(form).toContainText("Taken from the context: http://127.0.0.1:");
  await form.getByLabel("API server").fill("https://k8s.prod.example.com:6443");
  await form.getByRole("button", { name: "Register cluster" }).click();
  await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(form).toContainText("Name must be a DNS-1123 label");
  await expect(form.getByLabel("Name", { exact: true })).toBeFocused();

  // Another server than the context's: refused on the field, since the context's token would be sent there.
  const name = `prod-west-${Date.now() % 100000}`;
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByRole("button", { name: "Register cluster" }).click();
  await expect(form.getByLabel("API server")).toHaveAttribute("aria-invalid", "true");
  await expect(form).toContainText("credentials are only sent to their own server");

  await form.getByLabel("API server").fill("");
  await form.getByRole("button", { name: "Register cluster" }).click();
  await expect(form).toContainText(`Registered ${name}`);
  await expect(page.getByTestId("clusters-table")).toContainText(name);
  await page.screenshot({ path: `${shots}/clusters.png`, fullPage: true });
});

import { expect, type Page } from "@playwright/test";
import { gotoHydrated } from "./pages";

export const DEMO_PASSWORD = "demo-password";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await gotoHydrated(page, "/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // The first page a fresh server renders after sign-in can take longer than an assertion on a loaded machine.
  await expect(page.getByTestId("current-user")).toBeVisible({ timeout: 60_000 });
}

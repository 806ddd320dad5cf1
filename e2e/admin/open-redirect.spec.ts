import { expect, test } from "@playwright/test";
import { gotoHydrated } from "../shared/pages";
import { DEMO_PASSWORD } from "../shared/sign-in";

// A link to the sign-in page whose callbackUrl points off-site must still land the person on the portal.
// 127.0.0.1:18080 stands in for an attacker's server (nothing needs to listen there: a browser that went there
// would show an error page at that address, not the portal).
const hostile = [
  "/%5C127.0.0.1:18080/phish",
  "%2F%5C127.0.0.1%3A18080%2Fphish",
  "//127.0.0.1:18080/phish",
  "/%09/127.0.0.1:18080/phish",
  "http://127.0.0.1:18080/phish",
  "javascript:alert(1)",
];

async function signInVia(page: import("@playwright/test").Page, query: string) {
  await gotoHydrated(page, `/signin?callbackUrl=${query}`);
  await page.getByLabel("Email").fill("admin@demo.local");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("a same-origin callbackUrl is honoured after sign-in", async ({ page }) => {
  await signInVia(page, encodeURIComponent("/audit?action=auth.sign-in&outcome=success"));
  await expect(page).toHaveURL(/\/audit\?action=auth\.sign-in&outcome=success$/);
  await expect(page.getByTestId("current-user")).toBeVisible();
});

for (const query of hostile) {
  test(`callbackUrl=${query} lands on the portal after sign-in`, async ({ browser, baseURL }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInVia(page, query);
    await expect(page.getByTestId("current-user")).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    expect(new URL(page.url()).pathname).toBe("/");
    await context.close();
  });
}

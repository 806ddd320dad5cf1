import { expect, test } from "@playwright/test";
import { gotoHydrated } from "../shared/pages";
import { signIn } from "../shared/sign-in";

// Each role sees its own navigation (and nothing else); see components/shell/navigation.ts.
const expectedNav: Record<string, { email: string; nav: string[] }> = {
  "ml-engineer": {
    email: "engineer@demo.local",
    nav: ["Home", "Requests", "Clusters", "Costs", "Scaling", "Notifications", "API tokens"],
  },
  finance: {
    email: "finance@demo.local",
    nav: ["Home", "Requests", "Costs", "Scaling", "Notifications", "API tokens"],
  },
  sre: {
    email: "sre@demo.local",
    nav: ["Home", "Requests", "Clusters", "Scaling", "DR drills", "Notifications", "API tokens"],
  },
  "platform-admin": {
    email: "admin@demo.local",
    nav: [
      "Home",
      "Requests",
      "Clusters",
      "Costs",
      "Scaling",
      "DR drills",
      "Audit",
      "People",
      "Settings",
      "Notifications",
      "API tokens",
    ],
  },
};

for (const [role, { email, nav }] of Object.entries(expectedNav)) {
  test(`${role} signs in and sees the ${role} navigation`, async ({ page }) => {
    await signIn(page, email);
    await expect(page.getByTestId("current-role")).toHaveText(role);
    const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
    await expect(links).toHaveText(["ML Infra Portal", ...nav]);
  });
}

test("a finance user is refused the audit page and API with 403, and the refusal is audited", async ({
  page,
  browser,
}) => {
  await signIn(page, "finance@demo.local");
  const response = await gotoHydrated(page, "/audit");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: /403/ })).toBeVisible();
  await expect(page.getByTestId("audit-table")).toHaveCount(0);

  const admin = await browser.newPage();
  await signIn(admin, "admin@demo.local");
  await admin.goto("/audit?action=page.access&outcome=denied");
  await expect(admin.getByTestId("audit-table")).toContainText("finance@demo.local");
  await admin.close();
});

test("a wrong password shows a clear message and no session, audited with the browser's address", async ({
  page,
  browser,
}) => {
  // Two sign-ins, the first often on a cold server: a minute is not always enough on a loaded machine.
  test.setTimeout(120_000);
  await gotoHydrated(page, "/signin");
  await page.getByLabel("Email").fill("sre@demo.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("sign-in-error")).toContainText("Wrong email or password");
  await gotoHydrated(page, "/");
  await expect(page).toHaveURL(/\/signin/);

  // No proxy in front (PORTAL_TRUSTED_PROXIES=0): the address is the connection's own, not "unknown".
  const admin = await browser.newPage();
  await signIn(admin, "admin@demo.local");
  const audit = await admin.request.get("/api/v1/audit?action=auth.sign-in&outcome=failure");
  const { events } = (await audit.json()) as { events: { targetId: string; details: { clientAddress?: string } }[] };
  const failed = events.find((e) => e.targetId === "sre@demo.local");
  expect(failed?.details.clientAddress).toBe("127.0.0.1");
  await admin.close();
});

test("sign out ends the session", async ({ page }) => {
  await signIn(page, "sre@demo.local");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await gotoHydrated(page, "/requests");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Frequests/);
});

test("an unknown route shows the 404 page", async ({ page }) => {
  await signIn(page, "engineer@demo.local");
  const response = await gotoHydrated(page, "/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: /404/ })).toBeVisible();
});

test("the sign-in page is keyboard operable", async ({ page }) => {
  await gotoHydrated(page, "/signin");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type("admin@demo.local");
  await page.keyboard.press("Tab");
  await page.keyboard.type("demo-password");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("current-role")).toHaveText("platform-admin");
  await page.screenshot({ path: "test-results/screenshots/admin-home.png", fullPage: true });
});

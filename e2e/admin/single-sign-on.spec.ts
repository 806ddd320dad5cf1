// Single sign-on against a real OpenID Provider running in this spec (oidc-provider: authorization code + PKCE through
// next-auth, in Chromium). An admin lets the provider through the URL allow-list and maps its groups in Settings; a
// person lands in the role and teams their groups give, a group change applies at their next sign-in, removal from
// every mapped group refuses them and ends the session they still hold, groups a provider releases only at userinfo
// count the same, an unverified email is refused, and an admin disabling someone on People ends their session at once.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { startTestIdp, type TestIdp } from "@/test-support/oidc-provider";
import { gotoHydrated } from "../shared/pages";
import { signIn } from "../shared/sign-in";
import { TEST_IDP_CLIENT_ID, TEST_IDP_CLIENT_SECRET, testIdpPort } from "../shared/test-idp-config";

const portalPort = Number(process.env.E2E_PORT ?? 3100);
let idp: TestIdp;
let admin: Page;
let savedAllowList: string[] = [];
let savedMapping: unknown;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ browser }) => {
  idp = await startTestIdp({
    port: testIdpPort(portalPort),
    clientId: TEST_IDP_CLIENT_ID,
    clientSecret: TEST_IDP_CLIENT_SECRET,
    redirectUri: `http://127.0.0.1:${portalPort}/api/auth/callback/oidc`,
  });
  admin = await browser.newPage();
  await signIn(admin, "admin@demo.local");
  savedAllowList = (
    (await (await admin.request.get("/api/v1/settings/url-allow-list")).json()) as { entries: string[] }
  ).entries;
  savedMapping = ((await (await admin.request.get("/api/v1/settings/sso-groups")).json()) as { mapping: unknown })
    .mapping;
});

test.afterAll(async () => {
  // Later specs share this database: put the allow-list and mapping back.
  await admin.request.put("/api/v1/settings/url-allow-list", { data: { entries: savedAllowList } });
  await admin.request.put("/api/v1/settings/sso-groups", { data: savedMapping });
  await admin.close();
  await idp.close();
});

/** Signs in through the provider in a fresh browser context (no provider session), returning its page. */
async function signInWithSso(browser: Browser, login: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await gotoHydrated(page, "/signin");
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await page.waitForURL(`${idp.issuer}/interaction/**`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
  // The provider asks for consent once per grant.
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(`http://127.0.0.1:${portalPort}/**`);
  return page;
}

async function personRow(email: string) {
  await gotoHydrated(admin, "/people");
  return admin.locator(`[data-testid="person-row"][data-email="${email}"]`);
}

test("admin lets the provider through and maps groups; a person lands in their role and teams, and changes follow at the next sign-in", async ({
  browser,
}) => {
  // Until the provider is on the URL allow-list, single sign-on cannot even fetch its discovery document.
  idp.people.set("grace", { email: "grace@idp.test", emailVerified: true, name: "Grace Hopper", groups: ["nlp-eng"] });
  const blocked = await (await browser.newContext()).newPage();
  await gotoHydrated(blocked, "/signin");
  await blocked.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await expect(blocked.getByTestId("sign-in-error")).toContainText("Single sign-on could not start");
  await blocked.context().close();

  expect(
    (
      await admin.request.put("/api/v1/settings/url-allow-list", {
        data: { entries: [...savedAllowList, `127.0.0.1:${idp.port}`] },
      })
    ).ok(),
  ).toBe(true);

  // The mapping, typed into Settings: a bad line is named and nothing is saved; then the fixed one saves.
  await gotoHydrated(admin, "/settings");
  const form = admin.getByTestId("sso-group-mapping-form");
  const roles = form.getByLabel("Group → role");
  const teams = form.getByLabel("Group → team");
  await roles.fill("ml-sre = sre\nml-admins = root");
  await teams.fill("nlp-eng = nlp\nvision-eng = vision");
  await form.getByRole("button", { name: "Save group mapping" }).click();
  await expect(form.getByTestId("sso-error-roles")).toContainText("line 2 (role): must be one of");
  await expect(roles).toBeFocused();
  await roles.fill("ml-sre = sre");
  await form.getByRole("button", { name: "Save group mapping" }).click();
  await expect(form.getByRole("status")).toContainText("Saved");

  const first = await signInWithSso(browser, "grace");
  await expect(first.getByTestId("current-user")).toContainText("Grace Hopper");
  await expect(first.getByTestId("current-role")).toHaveText("ml-engineer");
  let row = await personRow("grace@idp.test");
  await expect(row.getByTestId("person-teams")).toContainText("NLP");
  await expect(row.getByTestId("person-teams")).toContainText("SSO group nlp-eng");
  await expect(row.getByTestId("person-role")).toContainText("SSO default role");

  // Moved at the provider: SRE and Vision from the next sign-in on, and out of NLP.
  idp.people.get("grace")!.groups = ["ml-sre", "vision-eng"];
  const second = await signInWithSso(browser, "grace");
  await expect(second.getByTestId("current-role")).toHaveText("sre");
  row = await personRow("grace@idp.test");
  await expect(row.getByTestId("person-role")).toContainText("SSO group ml-sre");
  await expect(row.getByTestId("person-teams")).toContainText("SSO group vision-eng");
  await expect(row.getByTestId("person-teams")).not.toContainText("NLP");

  // Removed from every mapped group: refused at sign-in, and the session still open in `second` ends too.
  idp.people.get("grace")!.groups = ["marketing"];
  const refused = await signInWithSso(browser, "grace");
  await expect(refused.getByTestId("sign-in-error")).toContainText("none of the groups the portal maps");
  await gotoHydrated(second, "/requests");
  await expect(second).toHaveURL(/\/signin\?callbackUrl=%2Frequests/);
  expect(await (await second.request.get("/api/auth/session")).json()).toEqual({});
  row = await personRow("grace@idp.test");
  await expect(row.getByTestId("person-teams")).toHaveText("none");

  await gotoHydrated(admin, "/audit?action=auth.sign-in&outcome=denied");
  await expect(admin.getByTestId("audit-table")).toContainText("none of the identity-provider groups");
});

test("a provider that releases groups only at its userinfo endpoint still gives the role and teams they map", async ({
  browser,
}) => {
  // As Okta with a groups scope does: the ID token carries no groups claim; the portal asks userinfo for it.
  idp.groupsIn = "userinfo";
  try {
    idp.people.set("ursula", { email: "ursula@idp.test", emailVerified: true, name: "Ursula", groups: ["ml-sre"] });
    const page = await signInWithSso(browser, "ursula");
    await expect(page.getByTestId("current-user")).toContainText("Ursula");
    await expect(page.getByTestId("current-role")).toHaveText("sre");
    idp.people.get("ursula")!.groups = ["ml-sre", "vision-eng"];
    await signInWithSso(browser, "ursula");
    const row = await personRow("ursula@idp.test");
    await expect(row.getByTestId("person-role")).toContainText("SSO group ml-sre");
    await expect(row.getByTestId("person-teams")).toContainText("SSO group vision-eng");
  } finally {
    idp.groupsIn = "id_token";
  }
});

test("an email the provider has not verified neither creates nor links an account", async ({ browser }) => {
  idp.people.set("mallory", {
    email: "engineer@demo.local",
    emailVerified: false,
    name: "Mallory",
    groups: ["nlp-eng"],
  });
  const page = await signInWithSso(browser, "mallory");
  await expect(page.getByTestId("sign-in-error")).toContainText(
    "could not sign you in with this single sign-on identity",
  );
  await gotoHydrated(page, "/");
  await expect(page).toHaveURL(/\/signin/);
});

test("an admin disables a person on People: their open session ends at once and single sign-on is refused", async ({
  browser,
}) => {
  idp.people.set("linus", { email: "linus@idp.test", emailVerified: true, name: "Linus", groups: ["vision-eng"] });
  const linus = await signInWithSso(browser, "linus");
  await expect(linus.getByTestId("current-user")).toContainText("Linus");

  const row = await personRow("linus@idp.test");
  await row.getByRole("button", { name: "Disable linus@idp.test" }).focus();
  await admin.keyboard.press("Enter");
  const dialog = admin.getByRole("dialog", { name: "Disable linus@idp.test?" });
  await dialog.getByRole("button", { name: "Disable" }).click();
  await expect(admin.getByTestId("people-message")).toContainText("linus@idp.test is disabled");
  await expect(row.getByTestId("person-status")).toHaveText("disabled");

  await gotoHydrated(linus, "/");
  await expect(linus).toHaveURL(/\/signin/);
  const again = await signInWithSso(browser, "linus");
  await expect(again.getByTestId("sign-in-error")).toContainText("This account is disabled");

  await row.getByRole("button", { name: "Enable linus@idp.test" }).click();
  await expect(row.getByTestId("person-status")).toHaveText("active");
  const back = await signInWithSso(browser, "linus");
  await expect(back.getByTestId("current-user")).toContainText("Linus");
});

test("an admin creates a team with cost label values and a budget from the keyboard; a bad slug is named", async () => {
  const slug = `speech-${Date.now().toString(36)}`;
  await gotoHydrated(admin, "/people");
  const form = admin.getByTestId("create-team-form");
  await form.getByLabel("Slug").fill("Speech Team");
  await form.getByLabel("Name").fill("Speech");
  await form.getByLabel("Cost label values").fill(`${slug}-research, asr-${slug}`);
  await form.getByLabel("Monthly budget (USD)").fill("25,000");
  await form.getByLabel("Monthly budget (USD)").press("Enter");
  await expect(form.getByLabel("Slug")).toHaveAccessibleDescription(/must be lower-case letters/);
  await expect(form.getByLabel("Slug")).toBeFocused();
  await admin.keyboard.press("ControlOrMeta+a");
  await admin.keyboard.type(slug);
  await admin.keyboard.press("Enter");
  await expect(admin.getByTestId("teams-message")).toHaveText(`Team ${slug} created.`);
  const team = admin.locator(`[data-testid="team-row"][data-team="${slug}"]`);
  await expect(team).toContainText("$25,000 a month");
  await expect(team).toContainText(`also labelled ${slug}-research, asr-${slug}`);

  // A label value another team already has is refused on its field, naming the owner.
  await team.locator("summary").click();
  const edit = team.getByTestId("edit-team-form");
  await edit.getByLabel("Cost label values").fill("nlp");
  await edit.getByRole("button", { name: "Save team" }).click();
  await expect(edit.getByLabel("Cost label values")).toHaveAccessibleDescription(/"nlp" already team nlp/);
});

test("People and the group mapping form have no accessibility violations axe can find", async ({ page }) => {
  // axe needs a page of a context the test made (the fixture's), not browser.newPage()'s.
  await signIn(page, "admin@demo.local");
  await gotoHydrated(page, "/people");
  const people = await new AxeBuilder({ page })
    .include('[data-testid="people"]')
    .include('[data-testid="teams"]')
    .analyze();
  expect(people.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await gotoHydrated(page, "/settings");
  const form = await new AxeBuilder({ page }).include('[data-testid="sso-group-mapping-form"]').analyze();
  expect(form.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});

// Admin journey on Settings: choose the model server whose metrics ingestion reads, set a team's monthly budget and
// see it on the team's cost page, have an unsafe Prometheus URL refused next to its field with nothing lost, and
// see the URL allow-list with the demo drills' health URL among what the portal fetches, where an entry without a
// port is refused by its line and nothing is saved.
import { expect, test } from "@playwright/test";
import { signIn } from "../shared/sign-in";
import { gotoHydrated } from "../shared/pages";

test("admin: saves the model server, sets a team budget, sees a refused Prometheus URL next to its field", async ({
  page,
}) => {
  await signIn(page, "admin@demo.local");
  // Later specs share this database: put the setting and the budget back whatever happens here.
  const original = (await (await page.request.get("/api/v1/costs/settings")).json()) as {
    settings: Record<string, unknown>;
  };
  const originalBudget = (
    (await (await page.request.get("/api/v1/costs/budgets")).json()) as {
      items: { slug: string; monthlyBudgetUsd: number | null }[];
    }
  ).items.find((t) => t.slug === "recsys")!.monthlyBudgetUsd;
  try {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
    const form = page.getByTestId("cost-settings-form");
    await expect(form.getByRole("checkbox", { name: /Demo data/ })).toBeChecked();
    await expect(page.getByTestId("ingestion-row").first()).toBeVisible();

    // Model server: vLLM, saved with Enter from a text field.
    const modelServer = form.getByLabel("Model server", { exact: true });
    await modelServer.selectOption("vllm");
    await expect(form.getByText(/vllm:request_success_total/)).toBeVisible();
    await form.getByLabel("AWS region", { exact: true }).press("Enter");
    await expect(page.getByTestId("cost-settings-message")).toContainText("Saved");
    const saved = (await (await page.request.get("/api/v1/costs/settings")).json()) as {
      settings: { modelServer: string };
    };
    expect(saved.settings.modelServer).toBe("vllm");
    await page.reload();
    await expect(page.getByTestId("cost-settings-form").getByLabel("Model server", { exact: true })).toHaveValue(
      "vllm",
    );

    // A budget for Recommender systems, saved in its row and shown on the team's cost page.
    const budgets = page.getByTestId("team-budgets");
    const budget = budgets.getByLabel("Monthly budget of Recommender systems (USD)");
    await budget.fill("123456");
    await budget.press("Enter");
    const row = budgets.locator('[data-testid="budget-row"][data-team="recsys"]');
    await expect(row.getByRole("status")).toHaveText("Saved: $123,456 a month.");
    await expect(row.getByTestId("budget-current")).toHaveText("$123,456");
    await gotoHydrated(page, "/costs/teams/recsys");
    await expect(page.getByText("Monthly budget: $123,456")).toBeVisible();

    // The cloud metadata address passes as a URL but the server's allow-list refuses it: the error sits under the
    // field, the field has the focus, and the form keeps what was typed.
    await gotoHydrated(page, "/settings");
    const settingsForm = page.getByTestId("cost-settings-form");
    const url = settingsForm.getByLabel("Prometheus URL", { exact: true });
    await url.fill("http://169.254.169.254/latest/meta-data");
    await url.press("Enter");
    await expect(url).toHaveAttribute("aria-invalid", "true");
    await expect(url).toBeFocused();
    const errorId = (await url.getAttribute("aria-describedby"))!.split(" ").find((id) => id.endsWith("-error"))!;
    await expect(page.locator(`[id="${errorId}"]`)).toContainText("link-local");
    await expect(page.getByTestId("cost-settings-message")).toContainText("Not saved");
    await expect(url).toHaveValue("http://169.254.169.254/latest/meta-data");
    await expect(settingsForm.getByLabel("Model server", { exact: true })).toHaveValue("vllm");
    await page.screenshot({ path: "test-results/screenshots/settings-refused-url.png", fullPage: true });
    const after = (await (await page.request.get("/api/v1/costs/settings")).json()) as {
      settings: { prometheusUrl?: string };
    };
    expect(after.settings.prometheusUrl).toBeUndefined();

    // The demo's drills probe from inside the sandbox, so the portal itself fetches only the e2e server's single
    // sign-on provider, which nobody has allowed yet.
    const allowForm = page.getByTestId("url-allow-list-form");
    await expect(allowForm.getByTestId("fetched-urls")).toContainText("OIDC_ISSUER (single sign-on)");
    await expect(allowForm.getByTestId("fetched-urls")).toContainText("refused");
    const entries = allowForm.getByLabel("Allowed hosts and networks");
    const seeded = await entries.inputValue();
    await entries.fill("prometheus.monitoring.svc");
    await allowForm.getByRole("button", { name: "Save allow-list" }).click();
    await expect(allowForm.getByTestId("url-allow-list-errors")).toContainText("has no port");
    await expect(entries).toHaveValue("prometheus.monitoring.svc");
    const refused = (await (await page.request.get("/api/v1/settings/url-allow-list")).json()) as { entries: string[] };
    expect(refused.entries.join("\n")).toBe(seeded);
    await entries.fill("prometheus.monitoring.svc:9090");
    await allowForm.getByRole("button", { name: "Save allow-list" }).click();
    await expect
      .poll(
        async () =>
          ((await (await page.request.get("/api/v1/settings/url-allow-list")).json()) as { entries: string[] }).entries,
      )
      .toEqual(["prometheus.monitoring.svc:9090"]);
    expect(
      (
        await page.request.put("/api/v1/settings/url-allow-list", {
          data: { entries: seeded ? seeded.split("\n") : [] },
        })
      ).ok(),
    ).toBe(true);
  } finally {
    expect((await page.request.put("/api/v1/costs/settings", { data: original.settings })).ok()).toBe(true);
    expect(
      (
        await page.request.put("/api/v1/costs/budgets", { data: { team: "recsys", monthlyBudgetUsd: originalBudget } })
      ).ok(),
    ).toBe(true);
  }
});

import { expect, test } from "@playwright/test";
import { gotoHydrated } from "../shared/pages";
import { signIn } from "../shared/sign-in";

test("an engineer compares a profile with reference, gets a recommendation and turns it into a pre-filled request", async ({
  page,
}) => {
  await signIn(page, "engineer@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Scaling" }).click();
  await expect(page.getByRole("heading", { name: "Autoscaling what-if" })).toBeVisible();
  const table = page.getByRole("table", { name: "Simulated outcome per scaling profile" });
  await expect(table.getByRole("rowheader", { name: /reference/ })).toBeVisible();
  await expect(table.getByRole("rowheader", { name: /my-profile/ })).toBeVisible();

  // The demo has no Prometheus: "Cluster history" says where an admin configures one, and the demo hour stays.
  await page.getByRole("button", { name: "Cluster history" }).click();
  await page.getByRole("button", { name: "Load cluster history" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "No Prometheus is configured" })).toContainText(
    "Settings → Cost data sources",
  );
  await expect(page.getByTestId("trace-help")).toContainText("Demo trace");

  // Editing the form re-simulates: a max of 1 replica cannot keep the SLO on the demo hour.
  await page.getByLabel("Max replicas").fill("1");
  await page.getByLabel("Min replicas").fill("1");
  // The row's "Minutes over SLO" cell (7th) turns non-zero: one replica cannot serve the demo hour's peak.
  const myRow = table.getByRole("row", { name: /my-profile/ });
  await expect(myRow.getByRole("cell").nth(5)).not.toHaveText("0");

  // A leading-indicator trigger: the field names the series it reads, and the explanation says what its
  // threshold does to the replica count.
  const concurrency = page.getByLabel("Concurrency / replica");
  await expect(concurrency).toHaveAccessibleDescription(/vllm:num_requests_running \+ vllm:num_requests_waiting/);
  await concurrency.fill("5");
  await page.getByLabel("KV-cache use %").fill("60");
  await myRow.getByRole("button", { name: "Chart" }).click();
  const why = page.getByTestId("profile-explanation");
  await expect(why).toContainText("asks for one replica per 5 requests running or waiting");
  await expect(why).toContainText("40 % empty");
  await concurrency.fill("");
  await page.getByLabel("KV-cache use %").fill("");
  await expect(why).not.toContainText("concurrency trigger");

  await page.getByRole("button", { name: "Find the cheapest profile" }).click();
  await expect(table.getByRole("rowheader", { name: /recommended/ })).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: "test-results/screenshots/scaling-what-if.png", fullPage: true });
  await table.getByRole("button", { name: /use this profile/i }).click();
  await page.getByTestId("chosen-profile").getByRole("link").click();
  await expect(page).toHaveURL(/\/requests\/new\?kind=inference_scaling&draft=/);
  await expect(page.getByRole("alert").filter({ hasText: "could not be read" })).toHaveCount(0);
});

test("on the inference scaling form, the simulation uses the form's values and the recommendation fills the form", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, "engineer@demo.local");
  await gotoHydrated(page, "/requests/new?kind=inference_scaling");
  // The preview is computed in the browser, so "ok" means the form has hydrated: a click or a fill before that
  // would reach server-rendered HTML that React then replaces (the section would never open).
  const preview = page.getByTestId("plan-preview");
  await expect(preview).toHaveAttribute("data-state", "ok");
  await page.getByLabel("Maximum replicas").fill("7");
  await expect(page.getByLabel("Generated Kubernetes manifests", { exact: true })).toContainText("maxReplicaCount: 7");
  await page.getByRole("button", { name: "Simulate against traffic" }).click();
  await expect(page.getByLabel("p99 latency SLO (ms)")).toBeVisible();
  const table = page.getByRole("table", { name: "Simulated outcome per scaling profile" });
  await expect(table.getByRole("row", { name: /this-form/ })).toContainText(/\d/);
  await expect(table.getByRole("rowheader", { name: /reference/ })).toBeVisible();
  await page.getByRole("button", { name: "Find the cheapest profile" }).click();
  await expect(table.getByRole("rowheader", { name: /recommended/ })).toBeVisible({ timeout: 60_000 });
  await table.getByRole("button", { name: "Use this profile" }).click();
  const note = page.getByTestId("used-recommendation");
  await expect(note).toBeVisible();
  const max = (await note.innerText()).match(/max (\d+)/)?.[1];
  expect(max).toBeDefined();
  await expect(page.getByLabel("Maximum replicas")).toHaveValue(max!);
  await page.screenshot({ path: "test-results/screenshots/request-form-simulation.png", fullPage: true });
});

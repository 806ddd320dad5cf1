// Finance journey of issue 5: Costs at 90 days by team, CSV export, snooze one recommendation, turn another into a
// pre-filled request; and an ML engineer sees only their teams' costs.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { gotoHydrated } from "../shared/pages";
import { decodeDraft } from "@/lib/requests/draft-link";
import { planInputSchema } from "@/lib/plans/schema";
import { signIn } from "../shared/sign-in";

test("finance: 90 days by team, export CSV, snooze, create a pre-filled request", async ({ page }) => {
  await signIn(page, "finance@demo.local");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Costs" }).click();
  await expect(page.getByRole("heading", { name: "GPU costs" })).toBeVisible();
  await expect(page.getByTestId("demo-banner")).toBeVisible();
  // The demo's nlp budget is tight: its overrun shows on the all-teams page, linked to the team's page.
  await expect(page.getByTestId("team-budget-alert").filter({ hasText: "Team NLP" })).toContainText(
    "exceeds its budget",
  );
  // The reference's scaling recommendation uses the ingested model-server load (requests/s and queue, not "—").
  const ranker = page.getByTestId("inference-scaling").getByRole("row", { name: /inference-a10g/ });
  await expect(ranker.getByTestId("requests-per-second")).toHaveText(/^[\d,.]+$/);
  await page.screenshot({ path: "test-results/screenshots/costs-finance.png", fullPage: true });

  await page.getByRole("link", { name: "90 days" }).click();
  await expect(page).toHaveURL(/days=90/); // the grouping links carry the range: wait for the new page
  await page
    .getByRole("navigation", { name: "Range and grouping" })
    .getByRole("link", { name: "team", exact: true })
    .click();
  await expect(page).toHaveURL(/days=90&groupBy=team/);
  // Teams by name, as everywhere in the portal ("NLP", not the slug "nlp").
  await expect(page.getByTestId("utilization-table").getByRole("rowheader")).toContainText(["NLP"]);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe("day,team,cost_usd,idle_cost_usd,gpu_hours_allocated,gpu_hours_used,source");
  expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBeGreaterThanOrEqual(89); // 90 days of rows

  // Recommendations are a table sorted by saving; a row's title opens its drawer with the actions.
  const table = page.getByTestId("recommendation-table");
  await expect(table.getByRole("columnheader", { name: /Saves \/ month/ })).toHaveAttribute("aria-sort", "descending");
  const open = page.locator('[data-testid="recommendation"][data-state="open"]');
  const first = open.first();
  const title = await first.getByTestId("recommendation-open").textContent();
  await first.getByTestId("recommendation-open").click();
  const drawer = page.getByTestId("recommendation-drawer");
  await drawer.getByTestId("snooze-30").click();
  await expect(drawer.getByTestId("recommendation-state")).toContainText("snoozed until");
  await drawer.getByRole("button", { name: "Close details" }).click();
  const snoozed = page.locator('[data-testid="recommendation"]', { hasText: title! });
  await expect(snoozed.getByTestId("recommendation-state")).toContainText("snoozed until");
  await page.reload();
  await expect(
    page.locator('[data-testid="recommendation"]', { hasText: title! }).getByTestId("recommendation-state"),
  ).toContainText("snoozed");
  await page.getByLabel("State").selectOption("snoozed");
  await expect(page.getByTestId("recommendation")).toHaveCount(1);
  await page.getByLabel("State").selectOption("");

  await page
    .locator('[data-testid="recommendation"][data-state="open"]')
    .first()
    .getByTestId("recommendation-open")
    .click();
  const href = await drawer.getByTestId("create-request").getAttribute("href");
  // The link opens the request kind the advice is about (spot training: a GPU node pool), with the draft and the
  // recommendation it acts on.
  expect(href).toMatch(/^\/requests\/new\?kind=[a-z_]+&recommendation=[a-z0-9]+&draft=[A-Za-z0-9_-]+$/);
  const draft = decodeDraft(new URL(href!, "http://x").searchParams.get("draft")!);
  expect(planInputSchema.safeParse(draft).success).toBe(true);
  await drawer.getByTestId("create-request").click();
  await expect(page).toHaveURL(/\/requests\/new\?kind=[a-z_]+&recommendation=[a-z0-9]+&draft=/);
  // The form opens with the recommendation's node pools, as a request finance may submit for an admin to approve.
  await expect(page.getByTestId("request-form")).toBeVisible();
  const pools = (draft as { node_pools?: { instance_type: string; capacity_type?: string }[] }).node_pools ?? [];
  expect(pools.length).toBeGreaterThan(0);
  await expect(page.getByLabel("Node pool 1 instance type")).toHaveValue(pools[0]!.instance_type);
  if (pools[0]!.capacity_type)
    await expect(page.getByLabel("Node pool 1 capacity type")).toHaveValue(pools[0]!.capacity_type);
});

test("an ML engineer sees only their teams' costs", async ({ page }) => {
  await signIn(page, "engineer@demo.local"); // member of nlp only
  await gotoHydrated(page, "/costs?days=30&groupBy=team");
  await expect(page.getByTestId("utilization-table").getByRole("rowheader")).toHaveText(["NLP"]);
  const summary = await (await page.request.get("/api/v1/costs/summary?days=30&groupBy=team")).json();
  expect(summary.daily.keys).toEqual(["nlp"]);
  const other = await (await page.request.get("/api/v1/costs/summary?days=30&groupBy=team&team=vision")).json();
  expect(other.daily.totalUsd).toBe(0);
  const recs = await (await page.request.get("/api/v1/costs/recommendations")).json();
  expect(recs.items.every((r: { team: string }) => r.team === "nlp")).toBe(true);
  const res = await gotoHydrated(page, "/costs/teams/vision");
  expect(res?.status()).toBe(403);
});

// Helpers shared by the journeys: where screenshots go, names no other spec uses, and when a request page is ready.
import { mkdirSync } from "node:fs";
import { expect, type Page } from "@playwright/test";

export const shots = "test-results/screenshots";
mkdirSync(shots, { recursive: true });

/** A suffix for namespaces and names, so specs sharing the sandbox cluster never meet each other's objects. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The request page is hydrated once the timeline has loaded (it fetches on mount). */
export async function waitForTimeline(page: Page) {
  await expect(page.getByTestId("timeline").locator("ol.timeline")).toBeVisible();
}

/** A full page load is usable once React has hydrated it (components/shell/hydration-marker.tsx): before that a
 * click or a fill reaches server-rendered HTML and is lost. */
export async function gotoHydrated(page: Page, url: string) {
  const response = await page.goto(url);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  return response;
}

/**
 * Clicks "Approve and apply" on a request page. Approving runs the pre-condition check first when none is recent; a
 * check that warns or fails asks the approver to tick that they read it, which these journeys do (they test what
 * the apply does, not the check).
 */
export async function approveAcknowledgingPrecheck(admin: Page) {
  const approve = admin.getByRole("button", { name: "Approve and apply" });
  const acknowledge = admin.getByLabel("I have read the pre-condition check and approve anyway");
  if (!(await acknowledge.isVisible())) {
    await approve.click();
    // Either the request is decided or the check asks for the acknowledgement.
    await expect(acknowledge.or(admin.getByTestId("decision"))).toBeVisible({ timeout: 30_000 });
    if (!(await acknowledge.isVisible())) return;
  }
  await acknowledge.check();
  await approve.click();
}

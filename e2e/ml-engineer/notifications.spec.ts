// ML engineer journey on Notifications: subscribe their team's webhook, keep the signing secret shown once, send a
// test that the real worker delivers to a receiver in this test (which checks the HMAC signature), see it delivered
// in the delivery log; a receiver that is down shows its failure in the log while submitting a request still works;
// a bad URL is refused next to its field; deleting asks first and names what stops.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHmac } from "node:crypto";
import { expect, test, type Browser } from "@playwright/test";
import { signIn } from "../shared/sign-in";
import { gotoHydrated } from "../shared/pages";

async function allowHosts(browser: Browser, change: (entries: string[]) => string[]): Promise<string[]> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "admin@demo.local");
  const before = ((await (await page.request.get("/api/v1/settings/url-allow-list")).json()) as { entries: string[] })
    .entries;
  expect((await page.request.put("/api/v1/settings/url-allow-list", { data: { entries: change(before) } })).ok()).toBe(
    true,
  );
  await context.close();
  return before;
}

test("ml-engineer: a signed webhook is delivered by the worker, a receiver that is down shows in the log", async ({
  page,
  browser,
}) => {
  const received: { body: string; signature: string | undefined }[] = [];
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: req.headers["x-portal-signature-256"] as string | undefined,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  const down = http.createServer();
  await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
  const downPort = (down.address() as AddressInfo).port;
  await new Promise<void>((resolve) => down.close(() => resolve()));
  const original = await allowHosts(browser, (entries) => [...entries, `127.0.0.1:${port}`, `127.0.0.1:${downPort}`]);
  try {
    await signIn(page, "engineer@demo.local");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications" }).click();
    await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
    const form = page.getByTestId("create-subscription-form");

    // A host nobody allowed is refused next to the field, and what was typed stays.
    await form.getByLabel("Name", { exact: true }).fill("nlp hook");
    await form.getByLabel("For", { exact: true }).selectOption({ index: 1 });
    await form.getByLabel("Webhook URL").fill("http://hooks.not-allowed.example:8080/x");
    await form.getByRole("button", { name: "Create subscription" }).click();
    await expect(form.getByLabel("Webhook URL")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText(/allow-list/i).last()).toBeVisible();
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue("nlp hook");

    await form.getByLabel("Webhook URL").fill(`http://127.0.0.1:${port}/hook`);
    await form.getByRole("button", { name: "Create subscription" }).click();
    const secret = (await page.getByTestId("signing-secret").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const list = page.getByTestId("subscription-list");
    await expect(list.getByRole("row", { name: /nlp hook/ })).toContainText("Approval needed");

    await list.getByRole("button", { name: "Send test to nlp hook" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Test queued" })).toBeVisible();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    const expected = `sha256=${createHmac("sha256", secret).update(received[0]!.body).digest("hex")}`;
    expect(received[0]!.signature).toBe(expected);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ event: "test" });
    await expect(async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      await expect(page.getByTestId("delivery-log").getByRole("row", { name: /nlp hook/ })).toContainText("delivered", {
        timeout: 2000,
      });
    }).toPass({ timeout: 30_000 });

    // A receiver that is down: the log says why, and the portal keeps working.
    await form.getByLabel("Name", { exact: true }).fill("down hook");
    await form.getByLabel("For", { exact: true }).selectOption({ index: 1 });
    await form.getByLabel("Webhook URL").fill(`http://127.0.0.1:${downPort}/hook`);
    await form.getByRole("button", { name: "Create subscription" }).click();
    await expect(list.getByRole("row", { name: /down hook/ })).toBeVisible();
    const teamId = await form.getByLabel("For", { exact: true }).locator("option").nth(1).getAttribute("value");
    const clusters = (await (await page.request.get("/api/v1/clusters")).json()) as { id: string; name: string }[];
    const submitted = await page.request.post("/api/v1/requests", {
      data: {
        kind: "inference_scaling",
        title: "Told on submit",
        teamId,
        clusterTargetId: clusters.find((c) => c.name === "sandbox")!.id,
        input: { scale_requirements: { min_replicas: 1, max_replicas: 2 } },
      },
    });
    expect(submitted.status()).toBe(201);
    await expect(async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      const row = page.getByTestId("delivery-log").getByRole("row", { name: /down hook/ });
      await expect(row).toContainText("retrying", { timeout: 2000 });
      await expect(row).toContainText("refused the connection", { timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    // The same request reached the live receiver too.
    await expect
      .poll(() => received.some((r) => JSON.parse(r.body).event === "approval.needed"), { timeout: 30_000 })
      .toBe(true);

    // Delete asks first, naming what stops.
    await list.getByRole("button", { name: "Delete down hook" }).click();
    const dialog = page.getByRole("dialog", { name: 'Delete "down hook"?' });
    await expect(dialog).toContainText(`127.0.0.1:${downPort}`);
    await dialog.getByRole("button", { name: "Delete subscription" }).click();
    await expect(list.getByRole("row", { name: /down hook/ })).toHaveCount(0);
    await gotoHydrated(page, "/notifications");
    await expect(page.getByTestId("subscription-list").getByRole("row", { name: /nlp hook/ })).toBeVisible();
  } finally {
    await allowHosts(browser, () => original);
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

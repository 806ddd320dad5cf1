import { expect, test } from "@playwright/test";
import { signIn } from "../shared/sign-in";

// What an API client sees when it gets something wrong: a JSON error naming the problem, never a stack trace.
test("API errors are clear JSON: 401 signed out, 403 with no data, 422 naming the field, 413 over 1 MB", async ({
  page,
  playwright,
}) => {
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const unauthenticated = await anonymous.get("/api/v1/requests");
  expect(unauthenticated.status()).toBe(401);
  expect(await unauthenticated.json()).toMatchObject({ error: { code: "unauthenticated" } });
  await anonymous.dispose();

  await signIn(page, "finance@demo.local");
  const forbidden = await page.request.get("/api/v1/audit");
  expect(forbidden.status()).toBe(403);
  const forbiddenBody = await forbidden.json();
  expect(Object.keys(forbiddenBody)).toEqual(["error"]);
  expect(forbiddenBody.error.code).toBe("forbidden");

  await page.context().clearCookies();
  await signIn(page, "engineer@demo.local");
  const invalid = await page.request.post("/api/v1/requests", {
    data: { kind: "inference_scaling", title: "x", teamId: "t", clusterTargetId: "c", input: {} },
  });
  expect(invalid.status()).toBe(422);
  const invalidBody = await invalid.json();
  expect(invalidBody.error.fields).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: "title", message: expect.stringContaining("at least 3 characters") }),
    ]),
  );
  expect(JSON.stringify(invalidBody)).not.toMatch(/at .*\.(ts|js):\d+/);

  const tooLarge = await page.request.post("/api/v1/plans", {
    data: { infrastructure_task: "cluster_setup", padding: "x".repeat(1_100_000) },
  });
  expect(tooLarge.status()).toBe(413);
  expect((await tooLarge.json()).error.code).toBe("payload_too_large");

  const badPlan = await page.request.post("/api/v1/plans", { data: { infrastructure_task: "make_coffee" } });
  expect(badPlan.status()).toBe(422);
  expect((await badPlan.json()).error.message).toContain("infrastructure_task must be one of");

  const openapi = await page.request.get("/api/v1/openapi.json");
  expect(openapi.status()).toBe(200);
  expect((await openapi.json()).paths).toHaveProperty("/api/v1/plans");
});

test("health and readiness answer without signing in", async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  expect((await api.get("/api/healthz")).status()).toBe(200);
  expect(await (await api.get("/api/readyz")).json()).toEqual({ status: "ready" });
  const metrics = await (await api.get("/metrics")).text();
  expect(metrics).toContain("portal_http_request_duration_seconds");
  await api.dispose();
});

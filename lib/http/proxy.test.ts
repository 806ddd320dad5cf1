// proxy.ts at the edge: cross-site state changes to any /api/** route (next-auth's own routes included, which route()
// never sees) are a 403, and URL text no page can use (NUL, lone surrogates, malformed percent-encoding) is a 422
// naming the parameter, for pages and the API alike. Same-origin sign-in still goes through.
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

const portal = "http://portal.test:3000";

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(`${portal}${path}`, {
    method: init.method ?? "GET",
    headers: { host: "portal.test:3000", ...init.headers },
  });
}
const passes = (response: Response) => response.headers.get("x-middleware-next") === "1";
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; fields?: { path: string }[] } }).error;

describe("cross-site state changes to the API", () => {
  it.each([
    ["POST", "/api/auth/callback/credentials", { "sec-fetch-site": "same-site", origin: "http://portal.test:18080" }],
    ["POST", "/api/auth/signout", { "sec-fetch-site": "same-site", origin: "http://portal.test:18080" }],
    ["POST", "/api/auth/signout", { "sec-fetch-site": "cross-site" }],
    ["POST", "/api/auth/callback/credentials", { origin: "http://portal.test:18080" }],
    ["DELETE", "/api/v1/tokens/x", { origin: "http://evil.test" }],
    ["PATCH", "/api/v1/dr-plans/model_corruption", { "sec-fetch-site": "same-site" }],
  ])("refuses %s %s from another origin (%j) with a 403 JSON naming why", async (method, path, headers) => {
    const response = await proxy(request(path, { method, headers }));
    expect(response.status).toBe(403);
    expect(passes(response)).toBe(false);
    const error = await errorOf(response);
    expect(error.code).toBe("cross_site_refused");
    expect(error.message).toMatch(/only for requests from its own pages/);
  });

  it.each([
    [
      "the sign-in form's own post",
      "POST",
      "/api/auth/callback/credentials",
      { "sec-fetch-site": "same-origin", origin: portal },
    ],
    [
      "sign-out from the portal's page",
      "POST",
      "/api/auth/signout",
      { "sec-fetch-site": "same-origin", origin: portal },
    ],
    ["a script without browser headers", "POST", "/api/v1/requests", {}],
    ["a user-typed navigation", "POST", "/api/v1/requests", { "sec-fetch-site": "none" }],
    [
      "the portal's public origin behind a proxy",
      "POST",
      "/api/auth/signout",
      { "x-forwarded-host": "portal.example.com", origin: "https://portal.example.com" },
    ],
    ["a cross-site read", "GET", "/api/auth/csrf", { "sec-fetch-site": "cross-site", origin: "http://evil.test" }],
  ])("lets %s through", async (_name, method, path, headers) => {
    expect(passes(await proxy(request(path, { method, headers })))).toBe(true);
  });
});

describe("URL text no page can use", () => {
  it.each([
    ["/requests?q=%00", "q"],
    ["/requests?team=%00", "team"],
    ["/audit?actor=%00", "actor"],
    ["/audit?action=x%00y", "action"],
    ["/requests?q=%E0%A4%A", "q"],
    ["/requests?q=%ED%A0%80", "q"],
  ])("refuses the page %s with a 422 naming %s", async (path, parameter) => {
    const response = await proxy(request(path));
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(new RegExp(`query parameter ${parameter}`));
  });

  it("refuses an API query with NUL as JSON naming the field", async () => {
    const response = await proxy(request("/api/v1/requests?q=%00"));
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.fields?.map((f) => f.path)).toEqual(["q"]);
    expect(error.message).toMatch(/NUL/);
  });

  it.each(["/requests/a%00b", "/api/v1/requests/%E0%A4%A"])("refuses the path %s", async (path) => {
    expect((await proxy(request(path))).status).toBe(422);
  });

  it.each(["/requests?q=caf%C3%A9+latte&team=nlp", "/audit?actor=a%40b.test", "/requests"])(
    "lets %s through",
    async (path) => {
      expect(passes(await proxy(request(path)))).toBe(true);
    },
  );
});

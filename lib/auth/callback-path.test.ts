import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

const origin = "http://127.0.0.1:3201";

describe("safeCallbackPath", () => {
  it.each([
    ["/requests", "/requests"],
    ["/requests?status=pending&team=nlp", "/requests?status=pending&team=nlp"],
    ["/requests/42#timeline", "/requests/42#timeline"],
    ["/costs/%E2%82%AC", "/costs/%E2%82%AC"],
    // Still on this origin: the browser asks the portal for a path with an encoded backslash (a 404 at worst).
    ["/%5C127.0.0.1:18080/phish", "/%5C127.0.0.1:18080/phish"],
    ["http://127.0.0.1:3201/drills?x=1", "/drills?x=1"],
    ["HTTP://127.0.0.1:3201/audit", "/audit"],
  ])("keeps the same-origin path %j", (raw, expected) => {
    expect(safeCallbackPath(raw, origin)).toBe(expected);
  });

  it.each([
    // What the sign-in page receives for callbackUrl=/%5C127.0.0.1:18080/phish (the query string is decoded once).
    "/\\127.0.0.1:18080/phish",
    "\\\\127.0.0.1:18080/phish",
    "\\/127.0.0.1:18080/phish",
    "//127.0.0.1:18080/phish",
    "///127.0.0.1:18080/phish",
    "/\t/127.0.0.1:18080/phish",
    "/\n/127.0.0.1:18080/phish",
    "/\r\n/127.0.0.1:18080/phish",
    " //127.0.0.1:18080/phish",
    "/ /127.0.0.1:18080/phish",
    "/\u0000/127.0.0.1:18080/phish",
    "/a/..//127.0.0.1:18080/phish",
    "/.//127.0.0.1:18080/phish",
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://127.0.0.1:18080/phish",
    "https://127.0.0.1:3201/requests",
    "http://127.0.0.1:3202/requests",
    "http://127.0.0.1:3201.evil.example/requests",
    "http://127.0.0.1:3201@evil.example/requests",
    "//evil.example",
    "https:evil.example",
    "http:/evil.example",
    "requests",
    "",
    "/" + "a".repeat(3000),
  ])("sends %j to the home page", (raw) => {
    expect(safeCallbackPath(raw, origin)).toBe("/");
  });

  it("sends anything that is not a string to the home page", () => {
    expect(safeCallbackPath(undefined, origin)).toBe("/");
    expect(safeCallbackPath(["/requests", "//evil"], origin)).toBe("/");
  });
});

import { describe, expect, it } from "vitest";
import { contentTypeRefusal, crossSiteRefusal } from "./cross-site";

const own = ["http://portal.test", "https://portal.test", "https://portal.example.com/"];

describe("crossSiteRefusal", () => {
  it.each([
    ["a same-origin fetch", "POST", "same-origin", "http://portal.test"],
    ["a request the person typed or bookmarked", "POST", "none", null],
    ["curl (no Sec-Fetch-Site, no Origin)", "POST", null, null],
    ["a browser without Sec-Fetch-Site from the portal's NEXTAUTH_URL", "PATCH", null, "https://portal.example.com"],
    ["a cross-site GET (reads are not state changes)", "GET", "cross-site", "http://evil.test"],
  ])("allows %s", (_name, method, fetchSite, origin) => {
    expect(crossSiteRefusal({ method, fetchSite, origin, ownOrigins: own })).toBeNull();
  });

  it.each([
    ["a cross-site form post", "POST", "cross-site", "http://evil.test", /Sec-Fetch-Site: cross-site/],
    [
      "another port of the same host (same-site: Lax cookies go along)",
      "POST",
      "same-site",
      "http://portal.test:8080",
      /Sec-Fetch-Site: same-site/,
    ],
    ["a foreign Origin without Sec-Fetch-Site", "DELETE", null, "http://evil.test", /Origin: http:\/\/evil\.test/],
    ["an opaque origin (sandboxed frame)", "PUT", null, "null", /Origin: null/],
    [
      "a same-origin Sec-Fetch-Site with a foreign Origin",
      "POST",
      "same-origin",
      "http://portal.test:8080",
      /another origin/,
    ],
  ])("refuses %s, saying why", (_name, method, fetchSite, origin, why) => {
    expect(crossSiteRefusal({ method, fetchSite, origin, ownOrigins: own })).toMatch(why);
  });
});

describe("contentTypeRefusal", () => {
  it.each([
    ["POST", "application/json", true],
    ["PUT", "application/json; charset=utf-8", true],
    ["POST", "Application/JSON", true],
    ["POST", null, false],
    ["GET", "text/plain", true],
  ])("allows %s with %s", (method, type, hasBody) => {
    expect(contentTypeRefusal(method, type, hasBody)).toBeNull();
  });

  it.each([
    ["POST", "text/plain", true],
    ["POST", "text/plain;charset=UTF-8", false],
    ["POST", "application/x-www-form-urlencoded", true],
    ["PATCH", "multipart/form-data; boundary=x", true],
    ["POST", null, true],
  ])("refuses %s with %s naming the header", (method, type, hasBody) => {
    expect(contentTypeRefusal(method, type, hasBody)).toMatch(/Content-Type must be application\/json/);
  });
});

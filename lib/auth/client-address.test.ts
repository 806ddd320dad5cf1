import { describe, expect, it } from "vitest";
import { clientAddressFromHeaders, UNKNOWN_CLIENT_ADDRESS } from "./client-address";

describe("clientAddressFromHeaders", () => {
  it.each<[string, Record<string, string | string[] | undefined> | undefined, string]>([
    ["the first X-Forwarded-For hop", { "x-forwarded-for": "198.51.100.7, 10.0.0.1, 10.0.0.2" }, "198.51.100.7"],
    ["X-Forwarded-For with a port", { "x-forwarded-for": "198.51.100.7:51234" }, "198.51.100.7"],
    ["an IPv6 hop, lower-cased", { "x-forwarded-for": "2001:DB8::1" }, "2001:db8::1"],
    ["a bracketed IPv6 hop with a port", { "x-forwarded-for": "[2001:db8::1]:443" }, "2001:db8::1"],
    ["X-Real-IP when there is no X-Forwarded-For", { "x-real-ip": "203.0.113.9" }, "203.0.113.9"],
    ["X-Real-IP when X-Forwarded-For is garbage", { "x-forwarded-for": "not-an-ip", "x-real-ip": "203.0.113.9" }, "203.0.113.9"],
    ["a repeated header, first value", { "x-forwarded-for": ["192.0.2.1", "192.0.2.2"] }, "192.0.2.1"],
    ["nothing", {}, UNKNOWN_CLIENT_ADDRESS],
    ["no headers at all", undefined, UNKNOWN_CLIENT_ADDRESS],
    ["a NUL byte", { "x-forwarded-for": "1.2.3.4\u0000" }, UNKNOWN_CLIENT_ADDRESS],
    ["a host name", { "x-real-ip": "evil.example" }, UNKNOWN_CLIENT_ADDRESS],
    ["a huge value", { "x-forwarded-for": "1".repeat(10_000) }, UNKNOWN_CLIENT_ADDRESS],
  ])("takes %s", (_, headers, expected) => {
    expect(clientAddressFromHeaders(headers)).toBe(expected);
  });

  it("reads a Fetch Headers object too", () => {
    expect(clientAddressFromHeaders(new Headers({ "X-Forwarded-For": "192.0.2.5" }))).toBe("192.0.2.5");
  });
});

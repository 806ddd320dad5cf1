import { describe, expect, it } from "vitest";
import { clientAddressFromHeaders, PEER_ADDRESS_HEADER, UNKNOWN_CLIENT_ADDRESS } from "./client-address";

type Bag = Record<string, string | string[] | undefined> | undefined;

describe("clientAddressFromHeaders", () => {
  it.each<[string, Bag, string]>([
    ["the single entry Next.js sets from the socket", { "x-forwarded-for": "198.51.100.7" }, "198.51.100.7"],
    ["X-Forwarded-For with a port", { "x-forwarded-for": "198.51.100.7:51234" }, "198.51.100.7"],
    ["an IPv6 hop, lower-cased", { "x-forwarded-for": "2001:DB8::1" }, "2001:db8::1"],
    ["a bracketed IPv6 hop with a port", { "x-forwarded-for": "[2001:db8::1]:443" }, "2001:db8::1"],
    ["an IPv4-mapped socket address as the IPv4 address", { "x-forwarded-for": "::ffff:198.51.100.7" }, "198.51.100.7"],
    ["nothing", {}, UNKNOWN_CLIENT_ADDRESS],
    ["no headers at all", undefined, UNKNOWN_CLIENT_ADDRESS],
    ["a NUL byte", { "x-forwarded-for": "1.2.3.4\u0000" }, UNKNOWN_CLIENT_ADDRESS],
    ["a host name", { "x-forwarded-for": "evil.example" }, UNKNOWN_CLIENT_ADDRESS],
    ["a huge value", { "x-forwarded-for": "1".repeat(10_000) }, UNKNOWN_CLIENT_ADDRESS],
    ["a huge forged prefix", { "x-forwarded-for": `${"10.0.0.1,".repeat(1000)}198.51.100.7` }, UNKNOWN_CLIENT_ADDRESS],
  ])("takes %s (one trusted proxy)", (_, headers, expected) => {
    expect(clientAddressFromHeaders(headers, 1)).toBe(expected);
  });

  // A client that reaches the portal directly chooses the whole header, a single entry included.
  it.each<[string, Bag]>([
    ["a single entry", { "x-forwarded-for": "198.51.100.7" }],
    ["several entries", { "x-forwarded-for": "203.0.113.10, 198.51.100.66" }],
    ["repeated header lines", { "x-forwarded-for": ["203.0.113.10", "198.51.100.66"] }],
  ])("ignores X-Forwarded-For with 0 trusted proxies: %s", (_, headers) => {
    expect(clientAddressFromHeaders(headers, 0)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddressFromHeaders(headers)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddressFromHeaders({ ...headers, [PEER_ADDRESS_HEADER]: "192.0.2.44" })).toBe("192.0.2.44");
  });

  // Without a proxy the socket is the client: a browser on localhost is 127.0.0.1 or ::1, not "unknown".
  it.each<[string, string | undefined, string]>([
    ["a loopback IPv4 peer", "127.0.0.1", "127.0.0.1"],
    ["a loopback IPv6 peer", "::1", "::1"],
    ["an IPv4 peer on a dual-stack socket", "::ffff:127.0.0.1", "127.0.0.1"],
    ["a LAN peer", "10.20.30.40", "10.20.30.40"],
    ["no stamped peer", undefined, UNKNOWN_CLIENT_ADDRESS],
    ["a peer that is not an address", "localhost", UNKNOWN_CLIENT_ADDRESS],
  ])("takes %s with 0 trusted proxies", (_, peer, expected) => {
    expect(clientAddressFromHeaders({ [PEER_ADDRESS_HEADER]: peer, "x-forwarded-for": "203.0.113.10" }, 0)).toBe(
      expected,
    );
    expect(clientAddressFromHeaders(new Headers(peer ? { [PEER_ADDRESS_HEADER]: peer } : {}))).toBe(expected);
  });

  it("takes the trusted proxy's entry, not the peer (the proxy itself), with a trusted proxy", () => {
    expect(
      clientAddressFromHeaders(
        { [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.10, 198.51.100.66" },
        1,
      ),
    ).toBe("198.51.100.66");
  });

  // The attacker sends `X-Forwarded-For: <victim's address>`; each proxy appends the address it saw.
  const victim = "203.0.113.10";
  const attacker = "198.51.100.66";
  it.each<[string, string, number, string]>([
    ["0 proxies and no stamped peer: neither entry", `${victim}, ${attacker}`, 0, UNKNOWN_CLIENT_ADDRESS],
    ["1 proxy: what it appended", `${victim}, ${attacker}`, 1, attacker],
    ["1 proxy, forged chain of several entries", `${victim}, 10.0.0.9, ${victim}, ${attacker}`, 1, attacker],
    ["2 proxies: the entry before the inner proxy's", `${victim}, ${attacker}, 10.0.0.2`, 2, attacker],
    ["3 proxies", `${victim}, ${attacker}, 10.0.0.2, 10.0.0.3`, 3, attacker],
    ["fewer entries than proxies: the leftmost, written by a proxy", `${attacker}, 10.0.0.2`, 3, attacker],
    ["a forged garbage entry where the proxy's should be", `${victim}, not-an-ip`, 1, UNKNOWN_CLIENT_ADDRESS],
  ])("%s", (_, forwardedFor, proxies, expected) => {
    expect(clientAddressFromHeaders({ "x-forwarded-for": forwardedFor }, proxies)).toBe(expected);
  });

  it("reads repeated header lines as one list in order", () => {
    expect(clientAddressFromHeaders({ "x-forwarded-for": [victim, attacker] }, 1)).toBe(attacker);
  });

  it("ignores X-Real-IP, which a client can send as well as a proxy", () => {
    expect(clientAddressFromHeaders({ "x-real-ip": victim }, 1)).toBe(UNKNOWN_CLIENT_ADDRESS);
    expect(clientAddressFromHeaders({ "x-forwarded-for": "garbage", "x-real-ip": victim }, 1)).toBe(
      UNKNOWN_CLIENT_ADDRESS,
    );
  });

  it("reads a Fetch Headers object too", () => {
    expect(clientAddressFromHeaders(new Headers({ "X-Forwarded-For": `${victim}, 192.0.2.5` }), 1)).toBe("192.0.2.5");
  });
});

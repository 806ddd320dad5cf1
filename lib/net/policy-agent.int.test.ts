// The agent single sign-on's HTTP client (openid-client) connects through: a host:port on the allow-list is
// reached, anything else is refused before a connection is made, with a message naming the entry to add.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyAgent } from "./policy-agent.server";

let server: http.Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    hits++;
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(url: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("policyAgent", () => {
  it("connects to a listed host and port", async () => {
    expect(
      await get(
        `http://127.0.0.1:${port}/.well-known/openid-configuration`,
        policyAgent("http:", { allow: [`127.0.0.1:${port}`] }, "OIDC_ISSUER"),
      ),
    ).toBe("ok");
  });

  it("refuses an unlisted port, a cloud metadata address even when listed, and a name resolving to a refused address", async () => {
    const before = hits;
    await expect(
      get(`http://127.0.0.1:${port}/`, policyAgent("http:", { allow: [`127.0.0.1:${port + 1}`] }, "OIDC_ISSUER")),
    ).rejects.toThrow(/OIDC_ISSUER.*not on the URL allow-list.*Settings → URL allow-list/);
    await expect(
      get("http://169.254.169.254/latest", policyAgent("http:", { allow: ["169.254.169.254:80"] }, "OIDC_ISSUER")),
    ).rejects.toThrow(/link-local|metadata/);
    const rebinding = policyAgent(
      "http:",
      { allow: ["idp.example:" + port], resolve: async () => [{ address: "169.254.169.254" }] },
      "OIDC_ISSUER",
    );
    await expect(get(`http://idp.example:${port}/`, rebinding)).rejects.toThrow(/link-local|metadata|never fetched/);
    expect(hits).toBe(before);
  });
});

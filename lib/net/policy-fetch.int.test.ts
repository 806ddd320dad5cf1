// The URL policy holds where it matters: as the socket connects (every address DNS gives, so rebinding cannot slip
// past an earlier check) and on every redirect. DNS is a double and every server listens on loopback: 127.0.0.2
// plays an internal service the list does not allow, so any request it receives went past the policy.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changingResolver, serveHttp, type FakeServer } from "@/test-support/fake-http-server";
import { policyAgents, policyFetch, UrlRefusedError } from "./policy-fetch.server";

let allowed: FakeServer;
let internal: FakeServer;
beforeAll(async () => {
  allowed = await serveHttp("127.0.0.1", (req, res) => {
    const to = new URL(req.url ?? "/", "http://x").searchParams.get("to");
    if (to) res.writeHead(302, { location: to }).end();
    else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  });
  internal = await serveHttp("127.0.0.2", (_req, res) => res.writeHead(200).end("internal secrets"));
});
afterAll(async () => {
  await allowed?.close();
  await internal?.close();
});

const redirectTo = (target: string) => `${allowed.url}/?to=${encodeURIComponent(target)}`;

describe("policyFetch: addresses are checked at connect time", () => {
  it("fetches a listed 127.0.0.1:port", async () => {
    const res = await policyFetch(`${allowed.url}/`, {}, { allow: [`127.0.0.1:${allowed.port}`] });
    expect(res).toMatchObject({ status: 200, text: "ok" });
  });

  it("refuses a host name that resolves to 127.0.0.2 when only 127.0.0.1 is listed for that port, without a request", async () => {
    const resolve = changingResolver(["127.0.0.2"]);
    const url = `http://sneaky.test:${internal.port}/`;
    const refused = await policyFetch(url, {}, { allow: [`127.0.0.1:${internal.port}`], resolve }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(UrlRefusedError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `sneaky\\.test port ${internal.port} is not on the URL allow-list.*127\\.0\\.0\\.2 is in no listed network.*Settings → URL allow-list`,
      ),
    );
    expect(resolve.calls).toEqual(["sneaky.test"]);
    expect(internal.hits).toHaveLength(0);
  });

  it("checks every connection again: a listed name that rebinds to metadata is refused on the next fetch", async () => {
    const resolve = changingResolver(["127.0.0.1"], ["169.254.169.254"]);
    const policy = { allow: [`prometheus.rebind.test:${allowed.port}`], resolve };
    const first = await policyFetch(`http://prometheus.rebind.test:${allowed.port}/`, {}, policy);
    expect(first.status).toBe(200);
    expect(allowed.hits.at(-1)?.host).toBe(`prometheus.rebind.test:${allowed.port}`); // Host stays the name
    await expect(policyFetch(`http://prometheus.rebind.test:${allowed.port}/`, {}, policy)).rejects.toThrow(
      /resolves to 169\.254\.169\.254, link-local.*never fetched/,
    );
    expect(resolve.calls).toHaveLength(2);
  });

  it("refuses the whole answer when one address of several is refused", async () => {
    const before = allowed.hits.length;
    const resolve = changingResolver(["127.0.0.1", "::ffff:169.254.169.254"]);
    await expect(
      policyFetch(`http://mixed.test:${allowed.port}/`, {}, { allow: [`mixed.test:${allowed.port}`], resolve }),
    ).rejects.toThrow(/IPv4-mapped form of 169\.254\.169\.254/);
    expect(allowed.hits.length).toBe(before);
  });
});

describe("policyFetch: every redirect is checked like the first URL", () => {
  it("refuses a redirect from an allowed server to an unlisted address, which is never requested", async () => {
    const refused = await policyFetch(
      redirectTo(`${internal.url}/secrets`),
      {},
      { allow: [`127.0.0.1:${allowed.port}`] },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UrlRefusedError);
    expect((refused as Error).message).toMatch(
      new RegExp(`redirected from .*127\\.0\\.0\\.2 port ${internal.port} is not on the URL allow-list`),
    );
    expect(internal.hits).toHaveLength(0);
  });

  it("refuses a redirect to the metadata address in its decimal spelling", async () => {
    await expect(
      policyFetch(
        redirectTo("http://2852039166/latest/meta-data"),
        {},
        { allow: [`127.0.0.1:${allowed.port}`, "169.254.169.254:80"] },
      ),
    ).rejects.toThrow(/169\.254\.169\.254 is link-local.*never fetched/);
  });

  it("follows a redirect to a listed URL, and stops after 5", async () => {
    const allow = [`127.0.0.1:${allowed.port}`];
    const res = await policyFetch(redirectTo(`${allowed.url}/final`), {}, { allow });
    expect(res).toMatchObject({ status: 200, url: `${allowed.url}/final` });
    let loop = `${allowed.url}/end`;
    for (let i = 0; i < 6; i++) loop = redirectTo(loop);
    await expect(policyFetch(loop, {}, { allow })).rejects.toThrow(/redirected more than 5 times/);
  });

  it("answers the 3xx itself with redirect: manual, fetching nothing else", async () => {
    const res = await policyFetch(
      redirectTo(`${internal.url}/`),
      { redirect: "manual" },
      { allow: [`127.0.0.1:${allowed.port}`] },
    );
    expect(res.status).toBe(302);
    expect(internal.hits).toHaveLength(0);
  });
});

describe("policyAgents: Node http clients (the AWS SDK) get the same connect-time check", () => {
  const get = (url: string, agent: http.Agent) =>
    new Promise<number>((resolve, reject) =>
      http.get(url, { agent }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", reject),
    );

  it("connects a listed name to a checked address and refuses one that resolves to metadata", async () => {
    const url = `http://ce.local.test:${allowed.port}/`;
    const good = policyAgents(
      url,
      { allow: [`ce.local.test:${allowed.port}`], resolve: changingResolver(["127.0.0.1"]) },
      "awsEndpoint",
    );
    expect(await get(url, good.httpAgent)).toBe(200);
    const bad = policyAgents(
      url,
      { allow: [`ce.local.test:${allowed.port}`], resolve: changingResolver(["169.254.169.254"]) },
      "awsEndpoint",
    );
    await expect(get(url, bad.httpAgent)).rejects.toThrow(/awsEndpoint .*169\.254\.169\.254, link-local/);
  });

  it("refuses an endpoint whose host:port is not listed before connecting", () => {
    expect(() => policyAgents(`${internal.url}/`, { allow: [] }, "awsEndpoint")).toThrow(
      /awsEndpoint .*127\.0\.0\.2 port .* is not on the URL allow-list/,
    );
  });
});

import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

const original = process.env.DATABASE_URL;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port was bound");
  return address.port;
}

const page = (path: string) => new NextRequest(`http://portal.test${path}`, { headers: { "sec-fetch-site": "none" } });

describe("a page while the database cannot be reached", () => {
  afterEach(() => {
    process.env.DATABASE_URL = original;
  });

  it("answers 503 with Retry-After and a page saying the database cannot be reached", async () => {
    process.env.DATABASE_URL = `postgresql://portal:portal@127.0.0.1:${await closedPort()}/portal`;
    const response = await proxy(page("/requests"));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBeTruthy();
    expect(await response.text()).toContain("The database cannot be reached; retrying");
  });

  it("leaves API paths to route(), which answers its own 503 in JSON", async () => {
    process.env.DATABASE_URL = `postgresql://portal:portal@127.0.0.1:${await closedPort()}/portal`;
    const response = await proxy(page("/api/v1/requests"));
    expect(response.status).not.toBe(503);
  });

  it("lets the page render when the database answers", async () => {
    const response = await proxy(page("/requests"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });
});

// /api/readyz is public: when the database is down it answers 503 with a fixed reason, never the driver's error
// (which names the database's address and port).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { GET } from "./route";

let world: RequestWorld;
beforeAll(async () => {
  world = await startRequestWorld();
}, 60_000);
afterAll(async () => world?.close());

describe("GET /api/readyz", () => {
  it("is ready when the database answers and migrations are applied", async () => {
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });

  it("answers 503 with a generic reason when the database is unreachable, naming no address", async () => {
    const url = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgresql://postgres@127.0.0.1:54400/portal_down";
    try {
      const response = await GET();
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ status: "not_ready", reason: "database unreachable" });
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|54400/);
    } finally {
      process.env.DATABASE_URL = url;
    }
  });
});

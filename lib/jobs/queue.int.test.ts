// A database whose queues were created by an earlier release gets this release's queue policy at start-up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgBoss } from "pg-boss";
import { createMigratedDatabase } from "@/test-support/test-database";
import { getBoss, stopBoss } from "./queue.server";
import { jobDefinitions } from "./job-definitions";

let drop: () => Promise<void>;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("jobs_queue"));
});
afterAll(async () => {
  await stopBoss({ graceful: false, timeout: 1000 }).catch(() => undefined);
  await drop();
});

describe("getBoss", () => {
  it("updates a queue created with an older policy to the one in jobDefinitions", async () => {
    const old = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: "pgboss", max: 1 });
    await old.start();
    await old.createQueue("request.apply", { ...jobDefinitions["request.apply"].queue, expireInSeconds: 120 });
    await old.stop({ graceful: false, timeout: 1000 });

    const boss = await getBoss();
    const queue = await boss.getQueue("request.apply");
    expect(queue).toMatchObject({
      expireInSeconds: jobDefinitions["request.apply"].queue.expireInSeconds,
      heartbeatSeconds: 30,
    });
    expect(jobDefinitions["request.apply"].queue.expireInSeconds).toBeGreaterThan(120);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { COST_SETTINGS_KEY } from "@/lib/costs/sources/ingest-usage.server";
import { costSettingsSchema } from "./schema";
import { URL_ALLOW_LIST_KEY } from "@/lib/net/schema";
import { updateCostSettings } from "./update-cost-settings.server";
import { httpRejection } from "@/test-support/http-view";

let drop: () => Promise<void>;
let admin: PortalUser;

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_settings"));
  const u = await getPrisma().user.create({
    data: { email: "admin@example.com", name: "Admin", role: "platform_admin" },
  });
  admin = { id: u.id, email: u.email, name: u.name, role: "platform-admin", teamIds: [] };
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

const lastAudit = async () => {
  const events = await getPrisma().auditEvent.findMany({
    where: { action: "settings.costs.update" },
    orderBy: { id: "desc" },
    take: 1,
  });
  const [event] = events;
  if (!event) throw new Error("no settings.costs.update audit event");
  return event;
};

const saveAllowList = (entries: string[]) =>
  getPrisma().setting.upsert({
    where: { key: URL_ALLOW_LIST_KEY },
    create: { key: URL_ALLOW_LIST_KEY, value: { entries } },
    update: { value: { entries } },
  });

describe("updateCostSettings", () => {
  it("records the URLs it lets through, before and after, and the model server", async () => {
    await saveAllowList(["127.0.0.1:9090", "10.0.0.0/8:9090"]);
    const first = costSettingsSchema.parse({
      sources: ["prometheus"],
      prometheusUrl: "http://127.0.0.1:9090",
      modelServer: "vllm",
    });
    await updateCostSettings({ actor: admin, settings: first, traceId: "req-1" });
    expect(await lastAudit()).toMatchObject({
      actorEmail: "admin@example.com",
      targetId: COST_SETTINGS_KEY,
      traceId: "req-1",
      details: {
        sources: ["prometheus"],
        modelServer: "vllm",
        prometheusUrl: { from: null, to: "http://127.0.0.1:9090" },
        awsEndpoint: { from: null, to: null },
      },
    });

    const second = costSettingsSchema.parse({
      sources: ["prometheus"],
      prometheusUrl: "http://10.1.2.3:9090",
      modelServer: "triton",
    });
    await updateCostSettings({ actor: admin, settings: second, traceId: "req-2" });
    expect((await lastAudit()).details).toEqual({
      sources: ["prometheus"],
      modelServer: "triton",
      prometheusUrl: { from: "http://127.0.0.1:9090", to: "http://10.1.2.3:9090" },
      awsEndpoint: { from: null, to: null },
    });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      "a cloud metadata Prometheus URL, even inside a listed range",
      { prometheusUrl: "http://[fd00:ec2::254]:9090/" },
      "prometheusUrl",
      /AWS instance metadata.*never fetched/,
    ],
    [
      "a Prometheus URL whose port is not listed",
      { prometheusUrl: "http://127.0.0.1:9091" },
      "prometheusUrl",
      /127\.0\.0\.1 port 9091 is not on the URL allow-list.*as 127\.0\.0\.1:9091/,
    ],
    [
      "an AWS endpoint that is not listed",
      { awsEndpoint: "http://127.0.0.1:4566" },
      "awsEndpoint",
      /awsEndpoint http:\/\/127\.0\.0\.1:4566: .*not on the URL allow-list/,
    ],
    [
      "an AWS endpoint at the metadata address written as a number",
      { awsEndpoint: "http://2852039166/" },
      "awsEndpoint",
      /169\.254\.169\.254 is link-local.*never fetched/,
    ],
  ])("refuses %s, naming the field, and neither saves nor audits it", async (_name, urls, field, message) => {
    await saveAllowList(["127.0.0.1:9090", "[fd00::/8]:9090", "169.254.169.254:80"]);
    const db = getPrisma();
    const before = await db.auditEvent.count({ where: { action: "settings.costs.update" } });
    const stored = (await db.setting.findUnique({ where: { key: COST_SETTINGS_KEY } }))?.value;
    const settings = costSettingsSchema.parse({ sources: ["demo"], ...urls });
    await expect(httpRejection(updateCostSettings({ actor: admin, settings }))).rejects.toMatchObject({
      status: 422,
      fields: [{ path: field, message: expect.stringMatching(message) }],
    });
    expect(await db.auditEvent.count({ where: { action: "settings.costs.update" } })).toBe(before);
    expect((await db.setting.findUnique({ where: { key: COST_SETTINGS_KEY } }))?.value).toEqual(stored);
  });
});

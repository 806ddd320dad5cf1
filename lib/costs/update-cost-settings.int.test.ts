import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import type { PortalUser } from "@/lib/auth/permissions";
import { COST_SETTINGS_KEY } from "./ingest-usage.server";
import { costSettingsSchema } from "./schema";
import { updateCostSettings } from "./update-cost-settings.server";

let drop: () => Promise<void>;
let admin: PortalUser;

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("costs_settings"));
  const u = await getPrisma().user.create({ data: { email: "admin@example.com", name: "Admin", role: "platform_admin" } });
  admin = { id: u.id, email: u.email, name: u.name, role: "platform-admin", teamIds: [] };
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

const lastAudit = async () => {
  const events = await getPrisma().auditEvent.findMany({ where: { action: "settings.costs.update" }, orderBy: { id: "desc" }, take: 1 });
  return events[0];
};

describe("updateCostSettings audit", () => {
  it("records the allow-list before and after, the URL it lets through and the model server", async () => {
    const first = costSettingsSchema.parse({ sources: ["prometheus"], prometheusUrl: "http://127.0.0.1:9090", prometheusAllow: ["127.0.0.1"], modelServer: "vllm" });
    await updateCostSettings({ user: admin, settings: first, requestId: "req-1" });
    expect(await lastAudit()).toMatchObject({
      actorEmail: "admin@example.com",
      targetId: COST_SETTINGS_KEY,
      traceId: "req-1",
      details: { sources: ["prometheus"], modelServer: "vllm", prometheusUrl: { from: null, to: "http://127.0.0.1:9090" }, prometheusAllow: { from: [], to: ["127.0.0.1"] } },
    });

    const second = costSettingsSchema.parse({ sources: ["prometheus"], prometheusUrl: "http://10.1.2.3:9090", prometheusAllow: ["10.0.0.0/8"], modelServer: "triton" });
    await updateCostSettings({ user: admin, settings: second, requestId: "req-2" });
    expect((await lastAudit()).details).toEqual({
      sources: ["prometheus"],
      modelServer: "triton",
      prometheusUrl: { from: "http://127.0.0.1:9090", to: "http://10.1.2.3:9090" },
      prometheusAllow: { from: ["127.0.0.1"], to: ["10.0.0.0/8"] },
    });
  });

  it("records a previous allow-list saved before entries were checked, as it was stored", async () => {
    const db = getPrisma();
    await db.setting.update({ where: { key: COST_SETTINGS_KEY }, data: { value: { sources: ["prometheus"], prometheusUrl: "http://10.1.2.3:9090", prometheusAllow: ["192.168.0.0/-8", "10.0.0.0/8"] } } });
    await updateCostSettings({ user: admin, settings: costSettingsSchema.parse({ sources: ["demo"] }) });
    expect((await lastAudit()).details).toMatchObject({ prometheusUrl: { from: "http://10.1.2.3:9090", to: null }, prometheusAllow: { from: ["192.168.0.0/-8", "10.0.0.0/8"], to: [] } });
  });

  it("refuses a cloud metadata URL even inside a listed range, and neither saves nor audits it", async () => {
    const db = getPrisma();
    const before = await db.auditEvent.count({ where: { action: "settings.costs.update" } });
    const settings = costSettingsSchema.parse({ sources: ["prometheus"], prometheusUrl: "http://[fd00:ec2::254]/", prometheusAllow: ["fd00::/8"] });
    await expect(updateCostSettings({ user: admin, settings })).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/cloud metadata address/) });
    expect(await db.auditEvent.count({ where: { action: "settings.costs.update" } })).toBe(before);
    expect((await db.setting.findUnique({ where: { key: COST_SETTINGS_KEY } }))?.value).toMatchObject({ sources: ["demo"] });
  });
});

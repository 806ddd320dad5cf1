// PUT /api/v1/settings/url-allow-list: only an admin (settings.manage) edits the list; each entry is checked when
// saved, with a 422 naming the entry and what to write; a save is audited with the list before and after.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { createMigratedDatabase } from "@/test-support/test-database";
import { GET, PUT } from "@/app/api/v1/settings/url-allow-list/route";
import { readUrlAllowList } from "./url-allow-list-setting.server";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

let drop: () => Promise<void>;
let admin: PortalUser;
let sre: PortalUser;
beforeAll(async () => {
  ({ drop } = await createMigratedDatabase("url_allow_list"));
  const a = await getPrisma().user.create({
    data: { email: "admin@example.com", name: "Admin", role: "platform_admin" },
  });
  const s = await getPrisma().user.create({ data: { email: "sre@example.com", name: "SRE", role: "sre" } });
  admin = { id: a.id, email: a.email, name: a.name, role: "platform-admin", teamIds: [] };
  sre = { id: s.id, email: s.email, name: s.name, role: "sre", teamIds: [] };
});
afterAll(async () => {
  await disconnectPrisma();
  await drop();
});

const put = (body: unknown) =>
  PUT(
    new Request("http://portal.test/api/v1/settings/url-allow-list", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );

describe("the URL allow-list setting", () => {
  it("is empty until an admin saves it; the admin's save is stored without repeats and audited", async () => {
    session.user = admin;
    expect(await readUrlAllowList()).toEqual([]);
    const saved = await put({
      entries: ["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080", "prometheus.monitoring.svc:9090"],
    });
    expect(saved.status).toBe(200);
    expect(await readUrlAllowList()).toEqual(["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080"]);
    expect(
      await (
        await GET(new Request("http://portal.test/api/v1/settings/url-allow-list"), { params: Promise.resolve({}) })
      ).json(),
    ).toEqual({ entries: ["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080"] });
    const audit = await getPrisma().auditEvent.findFirstOrThrow({
      where: { action: "settings.url-allow-list.update" },
    });
    expect(audit).toMatchObject({
      actorEmail: "admin@example.com",
      outcome: "success",
      details: { from: [], to: ["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080"] },
    });
  });

  it("refuses an entry without a port or one that opens every address, naming it, and keeps the saved list", async () => {
    session.user = admin;
    const refused = await put({ entries: ["ok.svc:80", "prometheus.monitoring.svc", "0.0.0.0/0:80"] });
    expect(refused.status).toBe(422);
    const { error } = (await refused.json()) as { error: { fields: { path: string; message: string }[] } };
    expect(error.fields).toEqual([
      {
        path: expect.stringMatching(/entries\.1$/),
        message: expect.stringMatching(/^"prometheus\.monitoring\.svc" has no port: write host:port/),
      },
      {
        path: expect.stringMatching(/entries\.2$/),
        message: expect.stringMatching(/^"0\.0\.0\.0\/0:80" matches every address/),
      },
    ]);
    expect(await readUrlAllowList()).toEqual(["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080"]);
  });

  it("cannot be changed by an SRE, who writes the plans whose URLs it allows", async () => {
    session.user = sre;
    expect((await put({ entries: ["169.254.169.254:80"] })).status).toBe(403);
    expect(await readUrlAllowList()).toEqual(["prometheus.monitoring.svc:9090", "10.0.0.0/8:8080"]);
  });
});

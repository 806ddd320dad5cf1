// Cluster credentials go only to the server their kubeconfig context names. Through the route handlers, a real
// PostgreSQL, the Kubernetes API double as the sandbox, and a listener on 127.0.0.1 standing in for an attacker's
// server that records every Authorization header it receives. Only the session is stubbed.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import { getPrisma } from "@/lib/db/prisma.server";
import { startRequestWorld, type RequestWorld } from "@/test-support/request-fixtures";
import { POST as register } from "@/app/api/v1/clusters/route";
import { POST as check } from "@/app/api/v1/clusters/[id]/check/route";

const session = vi.hoisted(() => ({ user: null as PortalUser | null }));
vi.mock("@/lib/auth/session.server", () => ({ getCurrentUser: async () => session.user }));

const remoteBody = "ATTACKER-BODY-7f3a";
let world: RequestWorld;
let admin: PortalUser;
let engineer: PortalUser;
let listener: http.Server;
let listenerUrl: string;
const received: Array<{ url?: string; authorization?: string }> = [];

beforeAll(async () => {
  world = await startRequestWorld();
  [admin, engineer] = await Promise.all([world.user("admin@demo.local"), world.user("engineer@demo.local")]);
  listener = http.createServer((req, res) => {
    received.push({ url: req.url, authorization: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "APIResourceList", groupVersion: "v1", resources: [], note: remoteBody }));
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => listener?.close(resolve));
  await world?.close();
});
beforeEach(() => {
  received.length = 0;
  session.user = admin;
});

type ErrorBody = { error?: { code: string; message: string; fields?: Array<{ path: string; message: string }> } };

async function postRegister(body: unknown) {
  const response = await register(
    new Request("http://portal.test/api/v1/clusters", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
  return { status: response.status, json: (await response.json()) as ErrorBody & { id?: string; apiServer?: string } };
}

async function postCheck(id: string) {
  const response = await check(
    new Request(`http://portal.test/api/v1/clusters/${id}/check`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    }),
    { params: Promise.resolve({ id }) },
  );
  return {
    status: response.status,
    json: (await response.json()) as ErrorBody & { accessible?: boolean; message?: string },
  };
}

describe("registering a cluster", () => {
  it("refuses an apiServer other than the context's server with 422 naming apiServer, stores nothing and sends nothing", async () => {
    const { status, json } = await postRegister({
      name: "zz-override",
      apiServer: listenerUrl,
      credentialRef: "kubeconfig-context:sandbox",
    });
    expect(status).toBe(422);
    expect(json.error?.fields?.map((f) => f.path)).toEqual(["apiServer"]);
    expect(json.error?.message).toContain("leave apiServer out");
    expect(await getPrisma().clusterTarget.count({ where: { name: "zz-override" } })).toBe(0);
    expect(received).toEqual([]);
  });

  it("takes the server from the context when apiServer is left out, and accepts another spelling of that server", async () => {
    const derived = await postRegister({ name: "zz-derived", credentialRef: "kubeconfig-context:sandbox" });
    expect(derived.status).toBe(201);
    expect(derived.json.apiServer).toBe(world.double.url);
    const spelled = await postRegister({
      name: "zz-spelled",
      apiServer: `${world.double.url.toUpperCase().replace("HTTP://", "http://")}/`,
      credentialRef: "kubeconfig-context:sandbox",
    });
    expect(spelled.status).toBe(201);
    const stored = await getPrisma().clusterTarget.findUniqueOrThrow({ where: { name: "zz-spelled" } });
    expect(stored.apiServer).toBe(world.double.url);
  });

  it("refuses an unknown context naming credentialRef, without listing the kubeconfig's contexts", async () => {
    const { status, json } = await postRegister({
      name: "zz-unknown-ctx",
      credentialRef: "kubeconfig-context:prod-west",
    });
    expect(status).toBe(422);
    expect(json.error?.fields?.map((f) => f.path)).toEqual(["credentialRef"]);
    expect(JSON.stringify(json)).not.toMatch(/sandbox|available/);
  });
});

describe("checking a cluster", () => {
  it("never sends the context's token to a row that names another server, and says why", async () => {
    // A row as registration stored it before it checked the server (or as a hand edit would).
    const row = await getPrisma().clusterTarget.create({
      data: { name: "zz-redirected", apiServer: listenerUrl, credentialRef: "kubeconfig-context:sandbox" },
    });
    const { status, json } = await postCheck(row.id);
    expect(status).toBe(200);
    expect(json.accessible).toBe(false);
    expect(json.message).toContain("credentials are only sent to their own server");
    expect(received).toEqual([]);
    expect(JSON.stringify(json)).not.toContain(world.double.token);
  });

  it("is an admin action: an ML engineer gets 403 and nothing is contacted", async () => {
    session.user = engineer;
    const row = await getPrisma().clusterTarget.findUniqueOrThrow({ where: { name: "sandbox" } });
    const { status } = await postCheck(row.id);
    expect(status).toBe(403);
    expect(received).toEqual([]);
  });

  it("names an unknown context without listing the kubeconfig's other contexts", async () => {
    const row = await getPrisma().clusterTarget.create({
      data: { name: "zz-lost", apiServer: world.double.url, credentialRef: "kubeconfig-context:gone" },
    });
    const { json } = await postCheck(row.id);
    expect(json.accessible).toBe(false);
    expect(json.message).toContain('context "gone" is not in the server\'s kubeconfig');
    expect(json.message).not.toMatch(/sandbox|available/);
  });

  it("does not repeat the API server's error body", async () => {
    const row = await getPrisma().clusterTarget.findUniqueOrThrow({ where: { name: "sandbox" } });
    world.double.faults.inject({
      path: "/api/v1",
      times: Infinity,
      action: { type: "status", code: 418, message: remoteBody },
    });
    const { json } = await postCheck(row.id).finally(() => world.double.faults.clear());
    expect(json.accessible).toBe(false);
    expect(json.message).toContain("HTTP 418");
    expect(json.message).not.toContain(remoteBody);
  });

  it("passes for the sandbox as registered", async () => {
    const row = await getPrisma().clusterTarget.findUniqueOrThrow({ where: { name: "sandbox" } });
    const { json } = await postCheck(row.id);
    expect(json).toMatchObject({ accessible: true });
  });
});

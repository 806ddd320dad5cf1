// Groups read from the OpenID Provider's userinfo endpoint when the ID token has none: a real provider
// (oidc-provider) that releases groups only at userinfo, as Okta with a groups scope does, answers with the person's
// current groups; the sign-in maps them like ID-token groups; a read that fails leaves the account untouched.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMigratedDatabase } from "@/test-support/test-database";
import { startTestIdp, type TestIdp } from "@/test-support/oidc-provider";
import { disconnectPrisma, getPrisma } from "@/lib/db/prisma.server";
import { seedDemo } from "@/lib/db/seed-demo.server";
import { UrlRefusedError } from "@/lib/net/policy-fetch.server";
import { readUserinfo, UserinfoError } from "./oidc-userinfo.server";
import { ssoSignIn, type SsoEnv } from "./sso-sign-in.server";

const env: SsoEnv = {
  OIDC_DEFAULT_ROLE: "ml-engineer",
  OIDC_GROUPS_CLAIM: "groups",
  OIDC_GROUP_ROLES: [{ group: "ml-admins", value: "platform-admin" }],
  OIDC_GROUP_TEAMS: [
    { group: "nlp-eng", value: "nlp" },
    { group: "vision-eng", value: "vision" },
  ],
};
const now = new Date("2026-12-07T10:00:00Z");
const CLIENT = "portal-int";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let idp: TestIdp;
let drop: () => Promise<void>;
let policy: { allow: string[] };

beforeAll(async () => {
  ({ drop } = await createMigratedDatabase());
  await seedDemo(getPrisma(), { sandboxApiServer: "https://127.0.0.1:1", now });
  idp = await startTestIdp({
    port: await freePort(),
    clientId: CLIENT,
    clientSecret: "portal-int-secret-0123456789abcdef",
    redirectUri: "http://127.0.0.1:1/api/auth/callback/oidc",
  });
  idp.groupsIn = "userinfo";
  policy = { allow: [`127.0.0.1:${idp.port}`] };
}, 60_000);
afterAll(async () => {
  await idp?.close();
  await disconnectPrisma();
  await drop?.();
});

/** What this provider's ID token holds for `login`: everything but groups. */
function idTokenProfile(login: string, email: string) {
  return { subject: login, email, name: login, claims: { sub: login, email, email_verified: true, name: login } };
}

const person = async (email: string) => {
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { email },
    include: { memberships: { include: { team: true } } },
  });
  return { ...user, teams: user.memberships.map((m) => `${m.team.slug}:${m.source}`).sort() };
};

describe("groups from the userinfo endpoint", () => {
  it("reads the person's claims from the provider's userinfo endpoint, for the ID token's subject only", async () => {
    idp.people.set("uma", { email: "uma@idp.test", emailVerified: true, name: "Uma", groups: ["nlp-eng"] });
    const accessToken = await idp.issueAccessToken("uma");
    const claims = await readUserinfo({ issuer: idp.issuer, accessToken, subject: "uma", policy });
    expect(claims).toMatchObject({ sub: "uma", email: "uma@idp.test", groups: ["nlp-eng"] });

    await expect(readUserinfo({ issuer: idp.issuer, accessToken, subject: "someone-else", policy })).rejects.toThrow(
      UserinfoError,
    );
    await expect(
      readUserinfo({ issuer: idp.issuer, accessToken: "not-a-token", subject: "uma", policy }),
    ).rejects.toThrow(/userinfo endpoint answered 401/);
    // The provider is fetched under the URL policy like every URL the portal fetches.
    await expect(
      readUserinfo({ issuer: idp.issuer, accessToken, subject: "uma", policy: { allow: [] } }),
    ).rejects.toThrow(UrlRefusedError);
  });

  it("maps groups only the userinfo endpoint carries, and follows a change there at the next sign-in", async () => {
    idp.people.set("vic", { email: "vic@idp.test", emailVerified: true, name: "Vic", groups: ["vision-eng"] });
    const signIn = async () => {
      const accessToken = await idp.issueAccessToken("vic");
      return ssoSignIn(
        {
          ...idTokenProfile("vic", "vic@idp.test"),
          userinfo: () => readUserinfo({ issuer: idp.issuer, accessToken, subject: "vic", policy }),
        },
        env,
        now,
      );
    };
    expect(await signIn()).toMatchObject({ ok: true });
    let vic = await person("vic@idp.test");
    expect([vic.role, vic.teams, vic.ssoGroups]).toEqual(["ml_engineer", ["vision:sso"], ["vision-eng"]]);

    idp.people.set("vic", {
      email: "vic@idp.test",
      emailVerified: true,
      name: "Vic",
      groups: ["nlp-eng", "ml-admins"],
    });
    expect(await signIn()).toMatchObject({ ok: true });
    vic = await person("vic@idp.test");
    expect([vic.role, vic.roleSsoGroup, vic.teams]).toEqual(["platform_admin", "ml-admins", ["nlp:sso"]]);

    // Taken out of every mapped group at the provider: refused, sessions ended.
    idp.people.set("vic", { email: "vic@idp.test", emailVerified: true, name: "Vic", groups: ["marketing"] });
    expect(await signIn()).toMatchObject({ ok: false, reason: "no-access" });
    expect((await person("vic@idp.test")).sessionVersion).toBe(vic.sessionVersion + 1);
  });

  it("uses the ID token's groups without asking userinfo, and changes nothing when userinfo cannot be read", async () => {
    const asked: string[] = [];
    const withGroups = idTokenProfile("wes", "wes@idp.test");
    expect(
      await ssoSignIn(
        {
          ...withGroups,
          claims: { ...withGroups.claims, groups: ["nlp-eng"] },
          userinfo: async () => {
            asked.push("userinfo");
            return {};
          },
        },
        env,
        now,
      ),
    ).toMatchObject({ ok: true });
    expect(asked).toEqual([]);
    const before = await person("wes@idp.test");

    // The userinfo endpoint refuses the token: the sign-in fails, the account keeps its teams and sessions.
    await expect(
      ssoSignIn(
        {
          ...idTokenProfile("wes", "wes@idp.test"),
          userinfo: () => readUserinfo({ issuer: idp.issuer, accessToken: "expired", subject: "wes", policy }),
        },
        env,
        now,
      ),
    ).rejects.toThrow(UserinfoError);
    const after = await person("wes@idp.test");
    expect([after.sessionVersion, after.teams]).toEqual([before.sessionVersion, ["nlp:sso"]]);
  });
});

// A real OpenID Provider for tests (the `oidc-provider` package): authorization code + PKCE, its own login and
// consent pages (devInteractions: any login name, any password), and a people table the test edits to change a
// person's groups or remove them. The ID token carries email, email_verified, name and groups, or (groupsIn
// "userinfo", as Okta with a groups scope does) groups only at the userinfo endpoint.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface IdpPerson {
  email: string;
  emailVerified: boolean;
  name: string;
  groups: string[];
}

export interface TestIdp {
  issuer: string;
  port: number;
  /** Login name → person; delete one to remove them at the provider. */
  people: Map<string, IdpPerson>;
  /** Where the provider puts groups: the ID token and userinfo (default), or userinfo only. */
  groupsIn: "id_token" | "userinfo";
  /** An access token for `login` with `scope`, as the token endpoint would issue (for calling userinfo directly). */
  issueAccessToken(login: string, scope?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIdp(o: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}): Promise<TestIdp> {
  const issuer = `http://127.0.0.1:${o.port}`;
  const people = new Map<string, IdpPerson>();
  const state: { groupsIn: TestIdp["groupsIn"] } = { groupsIn: "id_token" };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: o.clientId,
        client_secret: o.clientSecret,
        redirect_uris: [o.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    // groups is released with the profile scope (the portal asks for openid email profile) and, with conformIdTokenClaims
    // off, put in the ID token, which is what next-auth reads.
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["test-idp-cookie-key-0123456789abcdef"] },
    async findAccount(_ctx, id) {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: async (use: string) => ({
          sub: id,
          email: person.email,
          email_verified: person.emailVerified,
          name: person.name,
          ...(use === "userinfo" || state.groupsIn === "id_token" ? { groups: person.groups } : {}),
        }),
      };
    },
  });
  // oidc-provider logs a warning per devInteractions use; the tests do not need it.
  provider.on("server_error", (_ctx: unknown, error: Error) => console.error("test IdP error", error));
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, "127.0.0.1", () => resolve());
  });
  return {
    issuer,
    port: (server.address() as AddressInfo).port,
    people,
    get groupsIn() {
      return state.groupsIn;
    },
    set groupsIn(where) {
      state.groupsIn = where;
    },
    async issueAccessToken(login, scope = "openid email profile") {
      const client = await provider.Client.find(o.clientId);
      const grant = new provider.Grant({ accountId: login, clientId: o.clientId });
      grant.addOIDCScope(scope);
      const grantId = await grant.save();
      return new provider.AccessToken({ accountId: login, client, grantId, scope }).save();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

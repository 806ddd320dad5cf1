// A real OpenID Provider for tests (the `oidc-provider` package): authorization code + PKCE, its own login and
// consent pages (devInteractions: any login name, any password), and a people table the test edits to change a
// person's groups or remove them. The ID token carries email, email_verified, name and groups.
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
        claims: async () => ({
          sub: id,
          email: person.email,
          email_verified: person.emailVerified,
          name: person.name,
          groups: person.groups,
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

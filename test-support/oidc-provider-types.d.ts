// oidc-provider ships no type declarations and @types/oidc-provider is not installed: the little the tests use.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";
  interface Account {
    accountId: string;
    /** `use` is "id_token" or "userinfo": what the claims are for. */
    claims(use: string): Promise<Record<string, unknown>>;
  }
  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface AccessToken {
    save(): Promise<string>;
  }
  export default class Provider {
    constructor(
      issuer: string,
      configuration: Record<string, unknown> & {
        findAccount?: (ctx: unknown, id: string) => Promise<Account | undefined>;
      },
    );
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    Client: { find(id: string): Promise<unknown> };
    Grant: new (o: { accountId: string; clientId: string }) => Grant;
    AccessToken: new (o: { accountId: string; client: unknown; grantId: string; scope: string }) => AccessToken;
    on(event: string, listener: (...args: never[]) => void): this;
  }
}

// API tokens, the pure part: which actions each scope covers (deny by default), the token format, and the create form.
// The I/O: resolving a caller in api-token.server.ts, one use case per file (create-api-token.server.ts, ...).
import { z } from "zod";
import type { Action } from "./permissions";

/**
 * Scope → the actions of lib/auth/permissions.ts it lets a token call. An action no scope lists (home.read,
 * settings.manage, people.manage, token.manage, drill.override-protected) is never callable with a token: a token cannot mint tokens
 * or change platform settings. A scope only narrows: the caller's role is still checked at call time.
 */
export const scopeActions = {
  "requests:read": ["request.read"],
  "requests:write": ["request.create", "request.revert", "plan.generate", "security.scan"],
  "requests:approve": ["request.approve", "request.force-apply"],
  "clusters:read": ["cluster.read"],
  "clusters:manage": ["cluster.manage"],
  "costs:read": ["costs.read"],
  "costs:manage": ["costs.manage"],
  "scaling:simulate": ["scaling.simulate"],
  "drills:read": ["drill.read"],
  "drills:run": ["drill.run-dry", "drill.run-live"],
  "drills:manage": ["drill.manage"],
  "audit:read": ["audit.read"],
} as const satisfies Record<string, readonly Action[]>;

export type Scope = keyof typeof scopeActions;
export const scopes = Object.keys(scopeActions) as Scope[];

/** True when one of the scopes covers the action; unknown scope names cover nothing. */
export function scopesCover(granted: readonly string[], action: Action): boolean {
  return granted.some(
    (s) => Object.hasOwn(scopeActions, s) && (scopeActions[s as Scope] as readonly Action[]).includes(action),
  );
}

export const TOKEN_PREFIX = "mlp_";
/** "mlp_" and 43 base64url characters (32 random bytes). */
const tokenPattern = /^mlp_[A-Za-z0-9_-]{43}$/;

/** The secret from an `Authorization: Bearer …` header; null without one (cookies then decide). */
export function bearerSecret(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match ? match[1]! : null;
}

/** Whether a string has the shape of one of our secrets (anything else is refused without a database look-up). */
export function looksLikeToken(secret: string): boolean {
  return tokenPattern.test(secret);
}

/** What a person may see of a secret after creation: enough to tell tokens apart, far too little to use one. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, TOKEN_PREFIX.length + 6);
}

export const MAX_TOKEN_DAYS = 365;
const DAY_MS = 24 * 60 * 60 * 1000;

export const createTokenSchema = z.object({
  name: z
    .string()
    .trim()
    .min(3, { message: "name must be at least 3 characters: say where the token is used" })
    .max(80, { message: "name must be at most 80 characters" }),
  scopes: z
    .array(z.enum(scopes as [Scope, ...Scope[]], { message: `each scope must be one of ${scopes.join(", ")}` }))
    .min(1, { message: "scopes must name at least one scope" })
    .max(scopes.length)
    .transform((list) => [...new Set(list)]),
  expiresInDays: z
    .number({ message: `expiresInDays is required: a whole number of days from 1 to ${MAX_TOKEN_DAYS}` })
    .int({ message: "expiresInDays must be a whole number of days" })
    .min(1, { message: "expiresInDays must be at least 1" })
    .max(MAX_TOKEN_DAYS, {
      message: `expiresInDays must be at most ${MAX_TOKEN_DAYS}: tokens do not live longer than a year`,
    }),
  /** Only platform admins, for a service token that acts for this team. */
  teamId: z.string().min(1).max(64).optional(),
});
export type CreateTokenInput = z.output<typeof createTokenSchema>;

/** What the API and the page show of a token: never the secret or its hash. */
export interface TokenView {
  id: string;
  kind: "personal" | "service";
  name: string;
  prefix: string;
  scopes: string[];
  ownerEmail: string | null;
  teamId: string | null;
  teamName: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const tokenIdParams = z.object({ id: z.string().min(1).max(64) });

export function expiryFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/** The one message for every refused token (unknown, expired, revoked, owner disabled, wrong scope): it tells nothing. */
export const TOKEN_REFUSED =
  "This token cannot be used for this call: check that it is current and has the scope the call needs.";

// What a sign-in form may send. Checked before anything reaches the database: PostgreSQL refuses NUL bytes and
// lone UTF-16 surrogates in text, and its error must never become the message an anonymous visitor reads.
import { z } from "zod";

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const controlCharacter = /[\u0000-\u001f\u007f]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Longest address RFC 5321 lets through a mail system. */
export const MAX_EMAIL_LENGTH = 254;
/** Far beyond any real password (bcrypt reads 72 bytes), short enough that nobody can make the server hash megabytes. */
export const MAX_PASSWORD_LENGTH = 1024;

const emailMessage = `email: enter the address you sign in with, like name@example.com (at most ${MAX_EMAIL_LENGTH} characters)`;
const passwordMessage = `password: enter your password (1 to ${MAX_PASSWORD_LENGTH} characters, no control characters)`;

function plainText(max: number, message: string) {
  return z
    .string({ error: message })
    .min(1, { error: message })
    .max(max, { error: message })
    .refine((s) => !controlCharacter.test(s) && !loneSurrogate.test(s), { error: message });
}

export const passwordSignInInput = z.object({
  email: plainText(MAX_EMAIL_LENGTH, emailMessage)
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.email({ error: emailMessage })),
  password: plainText(MAX_PASSWORD_LENGTH, passwordMessage),
});

// Responses of the token and single sign-on settings routes (route() holds each handler to its schema).

/** What the API and the page show of a token: never the secret or its hash. */
export const tokenViewSchema = z.object({
  id: z.string(),
  kind: z.enum(["personal", "service"]),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  ownerEmail: z.string().nullable(),
  teamId: z.string().nullable(),
  teamName: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export const tokenListResponse = z.object({ items: z.array(tokenViewSchema) });
/** The only answer that carries the secret. */
export const tokenCreatedResponse = z.object({ token: tokenViewSchema, secret: z.string() });
export const tokenRevokedResponse = z.object({ token: tokenViewSchema });
export const ssoGroupMappingResponse = z.object({
  mapping: z.object({
    claim: z.string(),
    roles: z.array(z.object({ group: z.string(), role: z.enum(["ml-engineer", "finance", "sre", "platform-admin"]) })),
    teams: z.array(z.object({ group: z.string(), team: z.string() })),
  }),
  source: z.enum(["settings", "environment"]),
});

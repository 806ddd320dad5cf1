// Every setting the portal reads from the environment, validated once at start-up (web and worker).
// README's configuration table is generated from this list (npm run -s portal -- config-table).
import { z } from "zod";
import { parseGroupPairs, roleValue, teamValue } from "../auth/sso-groups";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const settingDocs: { name: string; default: string; meaning: string }[] = [];

function setting<T extends z.ZodType>(name: string, schema: T, defaultText: string, meaning: string): T {
  settingDocs.push({ name, default: defaultText, meaning });
  return schema;
}

function groupPairs<V extends string>(value: z.ZodType<V>, what: string) {
  return z
    .string()
    .default("")
    .transform((text, ctx) => {
      const parsed = parseGroupPairs(text, value, what);
      if (parsed.ok) return parsed.pairs;
      ctx.addIssue({ code: "custom", message: parsed.problem });
      return z.NEVER;
    });
}

export const envSchema = z
  .object({
    NODE_ENV: setting(
      "NODE_ENV",
      z.enum(["development", "production", "test"]).default("development"),
      "development",
      "production enables secure cookies and refuses to start without NEXTAUTH_SECRET",
    ),
    DATABASE_URL: setting(
      "DATABASE_URL",
      z
        .string({ error: "must be set to a postgresql:// URL" })
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
      "embedded (npm start)",
      "PostgreSQL connection string; `npm start` starts an embedded PostgreSQL when unset",
    ),
    DATABASE_POOL_SIZE: setting(
      "DATABASE_POOL_SIZE",
      z.coerce.number().int().min(1).max(100).default(10),
      "10",
      "connections per process",
    ),
    NEXTAUTH_URL: setting(
      "NEXTAUTH_URL",
      z.string().url().optional(),
      "http://localhost:3000",
      "public URL of the portal (next-auth callbacks)",
    ),
    NEXTAUTH_SECRET: setting(
      "NEXTAUTH_SECRET",
      z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
      "generated per demo data folder",
      "signs session tokens; required in production",
    ),
    PORTAL_SECRET_KEY: setting(
      "PORTAL_SECRET_KEY",
      z.string().min(32, "must be at least 32 characters (openssl rand -base64 32)").optional(),
      "derived from NEXTAUTH_SECRET",
      "encrypts secrets the portal stores (webhook signing secrets); changing it makes stored ones unreadable",
    ),
    PORTAL_DEMO_LOGIN: setting(
      "PORTAL_DEMO_LOGIN",
      bool.default(false),
      "false (true under npm start with the embedded database)",
      "enables password sign-in for the seeded demo users",
    ),
    OIDC_ISSUER: setting(
      "OIDC_ISSUER",
      z.string().url().optional(),
      "unset",
      "OpenID Connect issuer URL; enables single sign-on",
    ),
    OIDC_CLIENT_ID: setting("OIDC_CLIENT_ID", z.string().min(1).optional(), "unset", "OIDC client id"),
    OIDC_CLIENT_SECRET: setting("OIDC_CLIENT_SECRET", z.string().min(1).optional(), "unset", "OIDC client secret"),
    OIDC_DEFAULT_ROLE: setting(
      "OIDC_DEFAULT_ROLE",
      z.enum(["ml-engineer", "finance", "sre", "platform-admin"]).default("ml-engineer"),
      "ml-engineer",
      "role given at single sign-on when the person's groups map to teams but to no role (and to everyone when no group is mapped, on first sign-in)",
    ),
    OIDC_SCOPES: setting(
      "OIDC_SCOPES",
      z
        .string()
        .regex(/^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/, "must be scopes separated by single spaces")
        .refine((s) => s.split(" ").includes("openid"), "must include openid")
        .default("openid email profile"),
      "openid email profile",
      "scopes single sign-on requests, space-separated; add the one your provider needs to put groups in the ID token (e.g. openid email profile groups)",
    ),
    OIDC_TRUST_EMAIL: setting(
      "OIDC_TRUST_EMAIL",
      bool.default(false),
      "false",
      "treat every email the provider sends as verified, for providers that send no email_verified claim (e.g. Entra ID); only with a provider whose users cannot set their own email",
    ),
    OIDC_TOKEN_MAX_DAYS_SINCE_SIGN_IN: setting(
      "OIDC_TOKEN_MAX_DAYS_SINCE_SIGN_IN",
      z.coerce.number().int().min(1).max(3650).default(30),
      "30",
      "personal API tokens of a single sign-on user stop working this many days after the owner's last single sign-on, so a person removed at the provider who never signs in again loses API access too",
    ),
    OIDC_GROUPS_CLAIM: setting(
      "OIDC_GROUPS_CLAIM",
      z
        .string()
        .regex(/^[A-Za-z0-9_:./-]{1,128}$/, "must be a claim name such as groups or cognito:groups")
        .default("groups"),
      "groups",
      "ID-token / userinfo claim that lists the person's identity-provider groups (Settings → Single sign-on groups overrides it)",
    ),
    OIDC_GROUP_ROLES: setting(
      "OIDC_GROUP_ROLES",
      groupPairs(roleValue, "role"),
      "unset",
      "default group → role mapping, `group=role,group=role` (`;` separates when group names hold commas); the first line whose group a person has wins; Settings overrides it",
    ),
    OIDC_GROUP_TEAMS: setting(
      "OIDC_GROUP_TEAMS",
      groupPairs(teamValue, "team"),
      "unset",
      "default group → team mapping, `group=team-slug,...`; a person joins every team one of their groups maps to. With any group mapped, a person in no mapped group cannot sign in; Settings overrides it",
    ),
    PORTAL_KUBECONFIG: setting(
      "PORTAL_KUBECONFIG",
      z.string().min(1).optional(),
      "unset (demo: .data/sandbox-kubeconfig.yaml)",
      "kubeconfig file whose contexts cluster targets name (credentialRef kubeconfig-context:<name>)",
    ),
    PORTAL_GIT_MIRROR_DIR: setting(
      "PORTAL_GIT_MIRROR_DIR",
      z.string().min(1).optional(),
      "the OS temp dir's portal-git-mirrors (npm start: .data/git-mirrors)",
      "folder of the bare mirrors the worker keeps of delivery repositories, fetched into to tell whether a synced revision contains a commit",
    ),
    PORTAL_FIELD_MANAGER: setting(
      "PORTAL_FIELD_MANAGER",
      z
        .string()
        .regex(/^[a-z0-9-]{1,128}$/)
        .default("ml-portal"),
      "ml-portal",
      "server-side apply field manager",
    ),
    PORTAL_PROCESS: setting(
      "PORTAL_PROCESS",
      z.enum(["web", "worker", "migrate"]).default("web"),
      "web",
      "which of the portal's processes this is, as the `service` field of every log line",
    ),
    MIGRATIONS_DIR: setting(
      "MIGRATIONS_DIR",
      z.string().min(1).optional(),
      "prisma/migrations",
      "folder of SQL migrations the image's one-shot migration command applies",
    ),
    LOG_LEVEL: setting(
      "LOG_LEVEL",
      z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
      "info",
      "log level of the JSON logs",
    ),
    WORKER_CONCURRENCY: setting(
      "WORKER_CONCURRENCY",
      z.coerce.number().int().min(1).max(32).default(2),
      "2",
      "jobs a worker process runs at once per queue",
    ),
    WORKER_METRICS_PORT: setting(
      "WORKER_METRICS_PORT",
      z.coerce.number().int().min(0).max(65535).default(9464),
      "9464",
      "port of the worker's /metrics and /healthz (0 disables); left unset, `npm start` moves it to a free port (and says so) when 9464 is taken, e.g. by a second portal",
    ),
    WORKER_SHUTDOWN_TIMEOUT_MS: setting(
      "WORKER_SHUTDOWN_TIMEOUT_MS",
      z.coerce.number().int().min(1000).max(600_000).default(25_000),
      "25000",
      "how long SIGTERM waits for running jobs before leaving them to be retried",
    ),
    WORKER_MAINTENANCE: setting(
      "WORKER_MAINTENANCE",
      bool.default(true),
      "true",
      "whether this worker ends runs abandoned by dead workers and keeps the cron schedules registered (false: leave it to other workers, as the worker tests do)",
    ),
    METRICS_TOKEN: setting(
      "METRICS_TOKEN",
      z
        .string()
        .min(16, "must be at least 16 characters (openssl rand -hex 32)")
        .regex(
          /^[A-Za-z0-9\-._~+/]+=*$/,
          "must be a bearer token: letters, digits and - . _ ~ + / (then = padding), no spaces or line breaks (openssl rand -hex 32)",
        )
        .optional(),
      "unset",
      "bearer token the web's /metrics requires (Prometheus: `authorization.credentials_file`); the `ml_*` series (per team and model) are served only with it, except outside production or with demo sign-in on",
    ),
    PORT: setting(
      "PORT",
      z.coerce.number().int().min(1).max(65535).default(3000),
      "3000",
      "HTTP port of the web process",
    ),
    // Loopback by default: `npm start` serves the demo with its public password, so it is reachable from this machine
    // only unless someone decides otherwise. The container image sets 0.0.0.0 (probes and Services reach the pod IP).
    HOST: setting(
      "HOST",
      z
        .union(
          [
            z.ipv4(),
            z.ipv6(),
            z
              .string()
              .max(253)
              .regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/),
          ],
          { message: "must be an IP address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0" },
        )
        .default("127.0.0.1"),
      "127.0.0.1 (the image: 0.0.0.0)",
      "interface `npm start`'s web server and the worker's /metrics listen on; 0.0.0.0 listens on every interface",
    ),
    // How many X-Forwarded-For entries were written by proxies the portal trusts; everything left of them is what
    // the client claimed and can be forged (lib/auth/client-address.ts).
    PORTAL_TRUSTED_PROXIES: setting(
      "PORTAL_TRUSTED_PROXIES",
      z.coerce.number().int().min(0).max(10).default(0),
      "0",
      "reverse proxies in front of the portal that append to X-Forwarded-For; sign-in throttling and its audit rows key on the N-th entry from the right. With 0 the header is ignored (a client that reaches the portal directly could write it) and the connection's own address is used",
    ),
    SMTP_URL: setting(
      "SMTP_URL",
      z
        .string()
        .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587")
        .optional(),
      "unset",
      "SMTP server for email notifications (smtp://user:password@host:587; smtps:// for TLS from the start); without it email subscriptions cannot be created",
    ),
    NOTIFY_EMAIL_FROM: setting(
      "NOTIFY_EMAIL_FROM",
      z.string().min(3).max(300).default("ML Portal <ml-portal@localhost>"),
      "ML Portal <ml-portal@localhost>",
      "sender of email notifications",
    ),
    NOTIFY_RETRY_BASE_SECONDS: setting(
      "NOTIFY_RETRY_BASE_SECONDS",
      z.coerce.number().int().min(1).max(3600).default(30),
      "30",
      "first retry delay of a failed notification delivery; each later retry waits twice as long (6 attempts in all)",
    ),
    GCP_BILLING_API_KEY: setting(
      "GCP_BILLING_API_KEY",
      z
        .string()
        .min(10)
        .max(200)
        .regex(/^[A-Za-z0-9_-]+$/, "must be a Google API key (letters, digits, - and _)")
        .optional(),
      "unset",
      "API key the worker sends to the Cloud Billing Catalog for live GCP prices (the Cloud Billing API enabled on its project)",
    ),
    PORTAL_EMBEDDED_PG_PORT: setting(
      "PORTAL_EMBEDDED_PG_PORT",
      z.coerce.number().int().min(1).max(65535).default(54329),
      "54329",
      "port of the embedded PostgreSQL `npm start` runs when DATABASE_URL is unset (it listens on 127.0.0.1 only)",
    ),
    PORTAL_SANDBOX_PORT: setting(
      "PORTAL_SANDBOX_PORT",
      z.coerce.number().int().min(0).max(65535).default(0),
      "0",
      "port of the sandbox cluster (the local Kubernetes API double) `npm start` runs (0: a free port; its standby always takes a free port)",
    ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.NEXTAUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["NEXTAUTH_SECRET"],
        message: "is required in production: set it to a random string of 32+ characters (openssl rand -base64 32)",
      });
    }
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc > 0 && oidc < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["OIDC_ISSUER"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    }
  });

export type PortalEnv = z.output<typeof envSchema>;

export type EnvResult = { ok: true; env: PortalEnv } | { ok: false; problems: string[] };

/** Parses the environment; problems name the variable and the fix, one line each. */
export function parseEnv(env: Record<string, string | undefined>): EnvResult {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return { ok: true, env: result.data };
  return { ok: false, problems: result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`) };
}

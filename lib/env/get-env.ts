// The one reader of process.env in lib/, app/, worker/ and cli/ (ESLint's no-restricted-properties keeps it so):
// every setting arrives typed and validated by lib/config/env.ts's schema, with the default the configuration table
// documents. Nothing is cached: tests and the demo start-up set variables after modules load, and a parse is cheap
// next to the work that needs the value.
import { envSchema, parseEnv, type EnvResult, type PortalEnv } from "@/lib/config/env";

/** The configuration is invalid; `problems` name each variable and its fix, one line each. */
export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
    this.name = "EnvError";
  }
}

/** The raw variables, for the few that the portal's schema does not describe (the CLI's PORTAL_TOKEN). */
export function rawEnv(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/** The whole configuration, or its problems (start-up reports them; a page falls back to safe defaults). */
export function readEnv(): EnvResult {
  return parseEnv(process.env);
}

/** The whole configuration, validated; throws EnvError when any setting is invalid (start-up refuses those). */
export function getEnv(): PortalEnv {
  const result = readEnv();
  if (!result.ok) throw new EnvError(result.problems);
  return result.env;
}

type SettingName = keyof typeof envSchema.shape;

/**
 * One setting, validated alone: for code that needs one value where the rest may be absent (the CLI has no
 * DATABASE_URL, the logger loads before start-up validates). Unset or empty gives the documented default.
 */
export function getSetting<K extends SettingName & keyof PortalEnv>(name: K): PortalEnv[K] {
  const raw = process.env[name];
  const result = envSchema.shape[name].safeParse(raw === "" ? undefined : raw);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${name}: ${issue.message}`));
  }
  return result.data as PortalEnv[K];
}

import "server-only";
import { envSchema } from "@/lib/config/env";
import { rawEnv } from "@/lib/env/get-env";

export interface NotificationConfig {
  portalUrl: string;
  smtpUrl: string | null;
  emailFrom: string;
  retryBaseSeconds: number;
}

/** The notification settings of the environment (validated at start-up by parseEnv; read here per use). */
export function notificationConfig(env: Readonly<Record<string, string | undefined>> = rawEnv()): NotificationConfig {
  const shape = envSchema.shape;
  const read = <T>(
    schema: { safeParse: (v: unknown) => { success: boolean; data?: T } },
    value: string | undefined,
    fallback: T,
  ): T => {
    const parsed = schema.safeParse(value === "" ? undefined : value);
    return parsed.success && parsed.data !== undefined ? parsed.data : fallback;
  };
  return {
    portalUrl: read<string>(shape.NEXTAUTH_URL, env.NEXTAUTH_URL, "http://localhost:3000"),
    smtpUrl: read<string | null>(shape.SMTP_URL, env.SMTP_URL, null),
    emailFrom: read<string>(shape.NOTIFY_EMAIL_FROM, env.NOTIFY_EMAIL_FROM, "ML Portal <ml-portal@localhost>"),
    retryBaseSeconds: read<number>(shape.NOTIFY_RETRY_BASE_SECONDS, env.NOTIFY_RETRY_BASE_SECONDS, 30),
  };
}

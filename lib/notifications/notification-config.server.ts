import "server-only";
import { getSetting } from "@/lib/env/get-env";

export interface NotificationConfig {
  portalUrl: string;
  smtpUrl: string | null;
  emailFrom: string;
  retryBaseSeconds: number;
}

/** The notification settings of the environment (validated at start-up by parseEnv; read here per use). */
export function notificationConfig(): NotificationConfig {
  return {
    portalUrl: getSetting("NEXTAUTH_URL") ?? "http://localhost:3000",
    smtpUrl: getSetting("SMTP_URL") ?? null,
    emailFrom: getSetting("NOTIFY_EMAIL_FROM"),
    retryBaseSeconds: getSetting("NOTIFY_RETRY_BASE_SECONDS"),
  };
}

// Structured JSON logs on stdout (one object per line), with the request or job id on every line of its work.
import pino from "pino";
import { getSetting } from "@/lib/env/get-env";

export const logger = pino({
  level: getSetting("LOG_LEVEL"),
  base: { service: getSetting("PORTAL_PROCESS") },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "headers.cookie"],
    censor: "[redacted]",
  },
});

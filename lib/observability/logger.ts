// Structured JSON logs on stdout (one object per line), with the request or job id on every line of its work.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: process.env.PORTAL_PROCESS ?? "web" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "headers.cookie"],
    censor: "[redacted]",
  },
});

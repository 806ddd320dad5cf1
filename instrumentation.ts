// Runs once when the web server starts: an invalid or missing setting stops it with a message naming the setting.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseEnv } = await import("./lib/config/env");
  const result = parseEnv(process.env);
  if (result.ok) return;
  for (const problem of result.problems) console.error(`configuration error: ${problem}`);
  // During `next build` there is no runtime configuration to check.
  if (process.env.NEXT_PHASE !== "phase-production-build") process.exit(78);
}

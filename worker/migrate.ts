// The one-shot migration command of the production image (`node migrate.mjs`, run as a Job or init container;
// web start-up never migrates in production). Needs only DATABASE_URL. Exit 0 when the schema is up to date.
import path from "node:path";
import { migrateDatabase } from "@/lib/db/migrate";
import { EnvError, getSetting } from "@/lib/env/get-env";

// Only the two settings a migration needs are read: the migration Job is given DATABASE_URL alone.
function setting<K extends "DATABASE_URL" | "MIGRATIONS_DIR">(name: K) {
  try {
    return getSetting(name);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    for (const problem of error.problems) console.error(`configuration error: ${problem}`);
    process.exit(78); // EX_CONFIG
  }
}

async function main() {
  const url = setting("DATABASE_URL");
  const migrationsDir = path.resolve(setting("MIGRATIONS_DIR") ?? path.join(process.cwd(), "prisma", "migrations"));
  const result = await migrateDatabase(url, migrationsDir);
  console.log(
    JSON.stringify({
      level: "info",
      msg: "migrations done",
      applied: result.applied,
      alreadyApplied: result.alreadyApplied,
    }),
  );
}

main().catch((error) => {
  console.error(
    JSON.stringify({
      level: "error",
      msg: "migration failed",
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  process.exit(1);
});

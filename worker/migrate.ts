// The one-shot migration command of the production image (`node migrate.mjs`, run as a Job or init container;
// web start-up never migrates in production). Needs only DATABASE_URL. Exit 0 when the schema is up to date.
import path from "node:path";
import { migrateDatabase } from "@/lib/db/migrate";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error("configuration error: DATABASE_URL: must be set to a postgresql:// URL");
    process.exit(78);
  }
  const migrationsDir = path.resolve(process.env.MIGRATIONS_DIR ?? path.join(process.cwd(), "prisma", "migrations"));
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

// Until the first release, the schema has a single init migration. This regenerates it from prisma/schema.prisma
// (and the snapshot used by `npm run db:new-migration`). After the first release use db:new-migration instead.
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffSchemasToSql, readSchema } from "./lib/prisma6-diff";

const migrationsDir = path.resolve(__dirname, "..", "prisma", "migrations");
const dirs = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
if (dirs.length !== 1 || !dirs[0]!.endsWith("_init")) {
  console.error(`expected exactly one *_init migration, found: ${dirs.join(", ")}; use npm run db:new-migration`);
  process.exit(2);
}
const schema = readSchema();
const sql = diffSchemasToSql(null, schema, process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
writeFileSync(path.join(migrationsDir, dirs[0]!, "migration.sql"), sql);
writeFileSync(path.join(migrationsDir, "schema.snapshot.prisma"), schema);
execFileSync("npm", ["run", "-s", "prisma:generate"], { stdio: "inherit" });
console.log(`regenerated prisma/migrations/${dirs[0]}/migration.sql`);

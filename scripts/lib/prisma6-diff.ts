// Prints the SQL that takes one schema state to another, with Prisma 6.19's WebAssembly schema engine
// (installed as the dev dependency "prisma6"). Prisma 7's migrate engine is a native binary that cannot be
// downloaded on our machines; this path needs no download. See README "Migrations".
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

/** Prisma 6 requires a url in the datasource block; Prisma 7 forbids it. Add one to a temporary copy. */
function toPrisma6Schema(schemaText: string, databaseUrl: string): string {
  return schemaText.replace(
    /datasource db \{\s*provider\s*=\s*"postgresql"\s*\}/,
    `datasource db {\n  provider = "postgresql"\n  url      = ${JSON.stringify(databaseUrl)}\n}`,
  );
}

// Without this config Prisma 6 falls back to the native engine (our stub) and prints NOTHING with exit 0.
function prisma6Config(databaseUrl: string): string {
  const adapterPath = path.join(repoRoot, "node_modules", "@prisma", "adapter-pg");
  return `const { PrismaPg } = require(${JSON.stringify(adapterPath)});
export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "to.prisma",
  async adapter() { return new PrismaPg({ connectionString: ${JSON.stringify(databaseUrl)} }); },
};
`;
}

/**
 * SQL from `fromSchemaText` (null = empty database) to `toSchemaText`. The engine connects to `databaseUrl`
 * (any reachable PostgreSQL; nothing is written there).
 */
export function diffSchemasToSql(fromSchemaText: string | null, toSchemaText: string, databaseUrl: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "prisma6-diff-"));
  try {
    const toPath = path.join(dir, "to.prisma");
    writeFileSync(toPath, toPrisma6Schema(toSchemaText, databaseUrl));
    writeFileSync(path.join(dir, "prisma.config.ts"), prisma6Config(databaseUrl));
    const fakeEngine = path.join(dir, "no-query-engine.so.node");
    writeFileSync(fakeEngine, "");
    const fromArgs =
      fromSchemaText === null ? ["--from-empty"] : ["--from-schema-datamodel", path.join(dir, "from.prisma")];
    if (fromSchemaText !== null)
      writeFileSync(path.join(dir, "from.prisma"), toPrisma6Schema(fromSchemaText, databaseUrl));
    const cli = path.join(repoRoot, "node_modules", "prisma6", "build", "index.js");
    const sql = execFileSync(
      process.execPath,
      [cli, "migrate", "diff", ...fromArgs, "--to-schema-datamodel", toPath, "--script"],
      {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          // Prisma 6 checks for a query engine at start-up although diff never uses it.
          PRISMA_QUERY_ENGINE_LIBRARY: fakeEngine,
          PRISMA_SCHEMA_ENGINE_BINARY: path.join(repoRoot, "scripts", "no-schema-engine.sh"),
          PRISMA_HIDE_UPDATE_MESSAGE: "1",
        },
      },
    );
    if (!sql.includes("--") && !sql.trim().startsWith("-- This is an empty migration")) {
      throw new Error(`prisma6 migrate diff printed no SQL: ${JSON.stringify(sql.slice(0, 200))}`);
    }
    return sql;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readSchema(): string {
  return readFileSync(path.join(repoRoot, "prisma", "schema.prisma"), "utf8");
}

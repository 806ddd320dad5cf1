// Fails fast, with the fix, when no PostgreSQL is reachable for the integration tests.
import pg from "pg";
import { adminUrl } from "./test-database";

export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(
      `integration tests need PostgreSQL at ${adminUrl()} (${(error as Error).message}): start it with ` +
        "`pg_ctlcluster --skip-systemctl-redirect 15 main start` or set TEST_DATABASE_URL",
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Counts the SQL statements sent to PostgreSQL while `work` runs, at the driver (pg's Client#query, which the Prisma
// adapter and raw pg share): a use case's number of round trips, independent of how busy the machine is.
import pg from "pg";
import { vi } from "vitest";

export async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const spy = vi.spyOn(pg.Client.prototype, "query");
  try {
    const result = await work();
    const queries = spy.mock.calls
      .map(([q]) => (typeof q === "string" ? q : (q as { text: string }).text))
      // The job queue's own polling shares the driver; it is not the work being counted.
      .filter((q) => !q.includes("pgboss."));
    return { result, queries };
  } finally {
    spy.mockRestore();
  }
}

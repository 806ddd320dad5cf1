import "server-only";
import { connect } from "node:net";

const PROBE_TIMEOUT_MS = 1000;
const REMEMBER_MS = 2000;

let last: { url: string; at: number; reachable: boolean } | null = null;

/**
 * Whether something accepts connections at the database's host and port. Pages cannot answer their own status once
 * rendering starts (a Server Component's failure is a 500), so the proxy asks this before a page renders and answers
 * 503 itself. The answer is remembered for two seconds, so a busy portal opens one probe connection per interval.
 */
export async function databaseReachable(databaseUrl: string, now = Date.now()): Promise<boolean> {
  if (last && last.url === databaseUrl && now - last.at < REMEMBER_MS) return last.reachable;
  const reachable = await probe(databaseUrl);
  last = { url: databaseUrl, at: now, reachable };
  return reachable;
}

function probe(databaseUrl: string): Promise<boolean> {
  let target: URL;
  try {
    target = new URL(databaseUrl);
  } catch {
    // Not a URL the probe understands (a socket path): let the page try, and the database driver decide.
    return Promise.resolve(true);
  }
  const host = target.hostname.replace(/^\[|\]$/g, "") || "localhost";
  const port = Number(target.port || 5432);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

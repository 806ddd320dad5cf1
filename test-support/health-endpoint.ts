// A local HTTP health endpoint for drill tests: answers GET /health with a status the test controls
// (e.g. 503 until the rollback finished, then 200), and counts the calls.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface HealthEndpoint {
  url: string;
  setStatus(status: number): void;
  hits(): number;
  close(): Promise<void>;
}

export async function startHealthEndpoint(options: { status?: number; path?: string } = {}): Promise<HealthEndpoint> {
  let status = options.status ?? 200;
  let hits = 0;
  const path = options.path ?? "/health";
  const server = http.createServer((req, res) => {
    hits++;
    if (req.url !== path) {
      res.writeHead(404).end("not found");
      return;
    }
    res
      .writeHead(status, { "Content-Type": "application/json" })
      .end(JSON.stringify({ status: status < 400 ? "ok" : "unavailable" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    setStatus: (s) => void (status = s),
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

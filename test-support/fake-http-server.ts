// A loopback HTTP server for URL-policy tests: answers with a handler the test gives and records every request,
// so a test can show that a refused URL was never requested.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeServer {
  port: number;
  url: string;
  hits: { url: string; host: string | undefined }[];
  close(): Promise<void>;
}

export async function serveHttp(
  address: string,
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<FakeServer> {
  const hits: FakeServer["hits"] = [];
  const server = http.createServer((req, res) => {
    hits.push({ url: req.url ?? "", host: req.headers.host });
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${address}:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A DNS double that gives each answer in turn (the last one repeats) and records the questions. */
export function changingResolver(
  ...answers: string[][]
): ((hostname: string) => Promise<{ address: string }[]>) & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string) => {
    calls.push(hostname);
    return answers[Math.min(calls.length - 1, answers.length - 1)]!.map((address) => ({ address }));
  };
  return Object.assign(resolve, { calls });
}

// A port for a local listener: the preferred one when it is free, else one the system picks. Two portals on one
// machine (npm start twice, or with e2e) would otherwise both try the worker's default metrics port 9464.
import net from "node:net";

export function freePort(preferred: number, host = "127.0.0.1"): Promise<number> {
  const listen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(null));
      server.listen(port, host, () => {
        const address = server.address();
        const got = typeof address === "object" && address ? address.port : null;
        server.close(() => resolve(got));
      });
    });
  return listen(preferred).then((port) => port ?? listen(0).then((any) => any ?? 0));
}

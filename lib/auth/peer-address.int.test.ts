// The stamp through a real Node HTTP server: what the code behind it reads is the socket's address, whatever the
// client sent under the same header name.
import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { clientAddressFromHeaders, PEER_ADDRESS_HEADER, UNKNOWN_CLIENT_ADDRESS } from "./client-address";
import { stampPeerAddresses } from "./peer-address.server";

let server: Server | undefined;
let stop: (() => void) | undefined;

afterEach(async () => {
  stop?.();
  stop = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Starts a server answering with the headers its handler saw, sends one request with `sent`, returns those. */
async function headersSeen(sent: Record<string, string>): Promise<IncomingHttpHeaders> {
  const seen = new Promise<IncomingHttpHeaders>((resolve) => {
    server = createServer((req, res) => {
      resolve({ ...req.headers });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server!.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    httpRequest({ host: "127.0.0.1", port, headers: sent }, (res) => {
      res.resume();
      res.on("end", resolve);
    })
      .on("error", reject)
      .end();
  });
  return seen;
}

describe("stampPeerAddresses", () => {
  it("gives the handler the socket's address, over a value the client forged", async () => {
    stop = stampPeerAddresses();
    const headers = await headersSeen({ [PEER_ADDRESS_HEADER]: "203.0.113.10", "x-forwarded-for": "203.0.113.10" });
    expect(headers[PEER_ADDRESS_HEADER]).toBe("127.0.0.1");
    expect(clientAddressFromHeaders(headers, 0)).toBe("127.0.0.1");
  });

  it("stamps nothing once stopped, so a forged value is all there is (and without the stamp, it is not trusted)", async () => {
    stampPeerAddresses()();
    const headers = await headersSeen({});
    expect(headers[PEER_ADDRESS_HEADER]).toBeUndefined();
    expect(clientAddressFromHeaders(headers, 0)).toBe(UNKNOWN_CLIENT_ADDRESS);
  });
});

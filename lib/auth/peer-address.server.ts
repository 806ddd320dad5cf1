// Stamps each request the web server receives with the address of the socket it came in on, so the code that only
// sees headers (next-auth's `authorize`, route handlers) can tell who connected (client-address.ts). Node publishes
// `http.server.request.start` before the server's own request handler runs, so the stamp is in place before Next.js
// reads the headers, and it replaces any value a client sent under the same name.
// No "server-only" import: instrumentation-node.ts loads this outside the react-server condition.
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { PEER_ADDRESS_HEADER } from "./client-address";

const CHANNEL = "http.server.request.start";

function stamp(message: unknown): void {
  const { request, socket } = message as { request: IncomingMessage; socket: Socket };
  if (socket.remoteAddress) request.headers[PEER_ADDRESS_HEADER] = socket.remoteAddress;
  else delete request.headers[PEER_ADDRESS_HEADER];
}

/** Starts stamping every HTTP request this process serves; returns the function that stops it. */
export function stampPeerAddresses(): () => void {
  subscribe(CHANNEL, stamp);
  return () => {
    unsubscribe(CHANNEL, stamp);
  };
}

// Runs once when the web server starts: an invalid or missing setting stops it with a message naming the setting.
// The check lives in a Node-only module imported inside the NEXT_RUNTIME test, as Next.js documents: the bundler
// drops that branch from the Edge build, which otherwise warns about the Node API (process.exit) the check uses.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationAtStart, stampPeerAddresses } = await import("./instrumentation-node");
    checkConfigurationAtStart();
    // Sign-in throttling and its audit rows need the socket's address, which next-auth never sees otherwise.
    stampPeerAddresses();
  }
}

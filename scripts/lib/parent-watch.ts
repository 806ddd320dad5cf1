// A supervisor that kills npm itself (SIGKILL, or a signal npm does not pass on) leaves `npm start`'s own process to
// init. Watching for that lets it stop as on SIGTERM, rather than keep the web server, the worker, the sandbox and
// PostgreSQL running with nobody to stop them.

/** Calls `onGone` once when this process's parent changes (it died and the process was re-parented). */
export function watchParent(onGone: () => void, intervalMs = 1000): () => void {
  const parentAtStart = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parentAtStart) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

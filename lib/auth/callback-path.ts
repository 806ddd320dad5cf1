// Where a person lands after signing in. The callback comes from the query string, so a hostile link can put
// anything there; browsers read `/\host`, `/%5Chost` (once decoded), `\\host` and `/<tab>/host` as another host
// (they turn backslashes into slashes and drop tabs and newlines), and `//host` or an absolute URL is another
// origin outright. Only a path on this origin is kept; everything else becomes the home page.

const HOME = "/";

/** A same-origin path (with query and fragment) for `raw`, or "/" when `raw` could lead anywhere else. */
export function safeCallbackPath(raw: unknown, origin: string): string {
  if (typeof raw !== "string" || raw === "" || raw.length > 2048) return HOME;
  // Control characters, spaces and backslashes never appear in a path the portal builds itself (it encodes them).
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u0020\u007f\\]/.test(raw)) return HOME;
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(raw, base);
  } catch {
    return HOME;
  }
  if (target.origin !== base.origin) return HOME;
  // A relative path must start at the root; an absolute URL must name this origin exactly (scheme, host, port).
  if (
    !raw.startsWith("/") &&
    !raw.toLowerCase().startsWith(`${base.origin.toLowerCase()}/`) &&
    raw.toLowerCase() !== base.origin.toLowerCase()
  )
    return HOME;
  const path = `${target.pathname}${target.search}${target.hash}`;
  // Dot segments can leave a path that starts with `//` (`/a/..//host`), which a browser reads as another host.
  if (!path.startsWith("/") || path.startsWith("//")) return HOME;
  return path;
}

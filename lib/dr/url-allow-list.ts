// Health checks may only call URLs an SRE put on the plan's allow-list: an entry allows its own origin and every
// path below its path. Comparing parsed URLs (not string prefixes) stops "https://ok.example.evil.com" from
// matching "https://ok.example".
export function isUrlAllowed(url: string, allowList: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.username || target.password) return false;
  return allowList.some((entry) => {
    let allowed: URL;
    try {
      allowed = new URL(entry);
    } catch {
      return false;
    }
    if (allowed.origin !== target.origin) return false;
    const base = allowed.pathname.endsWith("/") ? allowed.pathname : `${allowed.pathname}/`;
    return target.pathname === allowed.pathname || target.pathname.startsWith(base) || allowed.pathname === "/";
  });
}

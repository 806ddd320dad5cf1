// The portal's Content-Security-Policy, for pages and API responses (set by proxy.ts with a nonce per request).
// Scripts run only with the per-request nonce Next.js puts on its own script tags ('strict-dynamic' lets those load
// their chunks); styles allow inline because React style attributes and the charts' (recharts) inline styles cannot
// carry a nonce, and a nonce beside 'unsafe-inline' would switch inline styles off. No page may be framed
// (clickjacking of approve and force-apply), forms post only to the portal, plugins never load.

// The headers that need no nonce (nosniff, X-Frame-Options, Referrer-Policy, HSTS) are in next.config.js, which puts
// them on static files too.

/** `development` adds eval, which React's debugging and fast refresh need. */
export function contentSecurityPolicy({ nonce, development }: { nonce: string; development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

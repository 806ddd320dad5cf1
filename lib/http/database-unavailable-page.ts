// The page a browser gets while the database cannot be reached: HTTP 503 with Retry-After, like the API's answer,
// and a refresh after the same delay, so the page comes back by itself once the database does.
const DATABASE_RETRY_SECONDS = 30;

export function databaseUnavailablePage(): Response {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="${DATABASE_RETRY_SECONDS}">
<title>Database unreachable · ML Infra Portal</title>
</head>
<body>
<main id="main">
<h1>The database cannot be reached; retrying</h1>
<p>The portal cannot reach its database right now. This page reloads itself every ${DATABASE_RETRY_SECONDS} seconds and shows the portal again once the database answers.</p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 503,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "retry-after": String(DATABASE_RETRY_SECONDS),
      "cache-control": "no-store",
    },
  });
}

// Every route handler under app/api, found from the files (so a new route is in every test that enumerates them),
// and a way to call one as Next.js would: a Request and the path parameters.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { RouteOptions } from "@/lib/http/route.server";

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof httpMethods)[number];

type Handler = ((
  request: Request,
  context?: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response> | Response) & {
  routeOptions?: RouteOptions<never, never, never>;
};

export interface ApiRoute {
  /** "/api/v1/requests/[id]/approve" */
  pattern: string;
  method: HttpMethod;
  /** "POST /api/v1/requests/[id]/approve": the key of tables about routes. */
  key: string;
  file: string;
  load(): Promise<Handler>;
}

const appDir = path.resolve(__dirname, "..", "app");

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

/** The exported HTTP methods of a route file, read from its source (importing every file up front is slow). */
function exportedMethods(source: string): HttpMethod[] {
  const found = new Set<HttpMethod>();
  for (const m of source.matchAll(/export\s+(?:const|(?:async\s+)?function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g))
    found.add(m[1] as HttpMethod);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name && (httpMethods as readonly string[]).includes(name)) found.add(name as HttpMethod);
    }
  }
  return httpMethods.filter((m) => found.has(m));
}

export async function apiRoutes(): Promise<ApiRoute[]> {
  const { readFile } = await import("node:fs/promises");
  const routes: ApiRoute[] = [];
  for (const file of routeFiles(path.join(appDir, "api")).sort()) {
    const pattern = "/" + path.relative(appDir, path.dirname(file)).split(path.sep).join("/");
    for (const method of exportedMethods(await readFile(file, "utf8"))) {
      routes.push({
        pattern,
        method,
        key: `${method} ${pattern}`,
        file,
        load: async () => {
          const mod = (await import(/* @vite-ignore */ file)) as Record<string, Handler>;
          if (typeof mod[method] !== "function") throw new Error(`${file} does not export ${method} as a function`);
          return mod[method];
        },
      });
    }
  }
  return routes;
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** A JSON value (sent with Content-Type: application/json) or raw text with `contentType`. */
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** Calls a route as Next.js would, filling [param] segments of the pattern from `params`. */
export async function callRoute(
  route: Pick<ApiRoute, "pattern" | "method" | "load">,
  options: CallOptions = {},
): Promise<Response> {
  const handler = await route.load();
  const urlPath = route.pattern.replace(/\[(\.\.\.)?(\w+)\]/g, (_m, _rest, name: string) =>
    encodeURIComponent(options.params?.[name] ?? `missing-${name}`),
  );
  const url = new URL(`http://portal.test${urlPath}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(options.headers);
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (options.raw !== undefined) body = options.raw;
  const hasBody = body !== undefined && route.method !== "GET";
  const request = new Request(url, { method: route.method, headers, body: hasBody ? body : undefined });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

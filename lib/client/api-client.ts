// The typed /api/v1 client: one call per endpoint (lib/client/endpoints.ts), its body typed by the route's request
// schema and its answer by the route's response schema. Pure: the caller injects fetch, so tests pass a double and
// the browser passes window.fetch.
import type { z } from "zod";
import { ApiError, unreachable, type FieldError } from "./api-error";
import type { Wire } from "./wire";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Endpoint<Path extends Record<string, string | number>, Query, Body, Response extends z.ZodType> {
  method: Method;
  /** "/api/v1/requests/{id}/approve": each {name} is filled from `path`. */
  path: string;
  response: Response;
  /** Phantom fields: only their types matter (path parameters, query and body of the call). */
  _types?: { path: Path; query: Query; body: Body };
}

/** Declares an endpoint; the type parameters are the path parameters, the query and the body it takes. */
export function endpoint<
  Path extends Record<string, string | number> = Record<never, never>,
  Query = undefined,
  Body = undefined,
>() {
  return <R extends z.ZodType>(method: Method, path: string, response: R): Endpoint<Path, Query, Body, R> => ({
    method,
    path,
    response,
  });
}

export type AnyEndpoint = Endpoint<Record<string, string | number>, unknown, unknown, z.ZodType>;
export type ResultOf<E> = E extends { response: infer R extends z.ZodType } ? Wire<z.output<R>> : never;
export type ArgsOf<E> =
  E extends Endpoint<infer P, infer Q, infer B, z.ZodType>
    ? // Bracketed: a union body (one shape per action) stays one body, not one argument type per shape.
      ([keyof P] extends [never] ? { path?: undefined } : { path: P }) &
        ([Q] extends [undefined] ? { query?: undefined } : { query: Q }) &
        ([B] extends [undefined] ? { body?: undefined } : { body: B })
    : never;

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClient {
  call<E extends AnyEndpoint>(e: E, args: ArgsOf<E>, signal?: AbortSignal): Promise<ResultOf<E>>;
}

/** The URL of a call: path parameters encoded, query values dropped when undefined or "". */
export function urlOf(path: string, params: Record<string, string | number> = {}, query: object = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: path parameter ${name} is missing`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

export function createApiClient(fetchFn: FetchLike): ApiClient {
  return {
    async call(e, args, signal) {
      const a = args as { path?: Record<string, string | number>; query?: object; body?: unknown };
      // A DELETE names its target in the path; a GET is never served from the browser's cache (live views poll).
      const sendsBody = e.method !== "GET" && e.method !== "DELETE";
      let response: Response;
      try {
        response = await fetchFn(urlOf(e.path, a.path, a.query), {
          method: e.method,
          signal,
          ...(e.method === "GET" ? { cache: "no-store" as const } : {}),
          ...(sendsBody ? { headers: { "content-type": "application/json" }, body: JSON.stringify(a.body ?? {}) } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw unreachable(error);
      }
      const json = (await response.json().catch(() => null)) as unknown;
      if (!response.ok) {
        const err = (json as { error?: { code?: string; message?: string; fields?: FieldError[] } } | null)?.error;
        throw new ApiError(
          response.status,
          err?.code ?? `http_${response.status}`,
          err?.message ?? `The request failed with HTTP ${response.status}: try again.`,
          err?.fields ?? [],
        );
      }
      return json as ResultOf<typeof e>;
    },
  };
}

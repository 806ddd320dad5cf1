import "server-only";
import { getSetting } from "@/lib/env/get-env";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session.server";
import { bearerSecret } from "@/lib/auth/api-token";
import { callerForToken } from "@/lib/auth/api-token.server";
import { authorize } from "@/lib/auth/authorize.server";
import type { Action, PortalUser } from "@/lib/auth/permissions";
import { isDatabaseBusy, isDatabaseUnreachable } from "@/lib/db/prisma.server";
import { DomainError, fieldErrorsFromIssues } from "@/lib/errors/domain-error";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics.server";
import { statusForError } from "./error-status";
import { errorBody, HttpError } from "./errors";
import { contentTypeRefusal, crossSiteRefusal, ownOrigins, stateChangingMethods } from "./cross-site";
import { findUnboundedInteger, findUnstorableInput } from "./hostile-input";
import { routeLabel } from "./route-label";

export const MAX_BODY_BYTES = 1024 * 1024;

export interface RouteOptions<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  /** What the caller must be allowed to do; `null` for public routes (health checks). */
  action: Action | null;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The schema of the 2xx body: the handler's return type (tsc holds it to it), checked at run time outside
   * production, and the response in the OpenAPI document (lib/http/openapi.ts). Typed clients (lib/client) read it.
   */
  response: R;
  /** The media type of a body that is not JSON (a CSV or Markdown download, whose handler returns a Response). */
  responseMediaType?: string;
  /** The 2xx status of a handler's plain result when not 200 (201 for a creation), also in the OpenAPI document. */
  successStatus?: number;
  /** Headers of a success answer (`cache-control: no-store` where the body holds a secret or live state). */
  successHeaders?: Record<string, string>;
}

export interface RouteContext<P, Q, B> {
  user: PortalUser;
  params: P;
  query: Q;
  body: B;
  /** The HTTP call's trace id (x-request-id), logged and sent back; not a portal request's id. */
  traceId: string;
  request: Request;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };

/**
 * Wraps a route handler: request id, cross-site refusal of state changes (403) and non-JSON bodies (415), session or
 * `Authorization: Bearer` API token (401/403 for a token that may not make this call),
 * role check (403 + audit), refusal of text the database cannot store (NUL, lone surrogates) and of whole numbers
 * beyond int4 in integer fields without a bound of their own (422 naming the field), zod parsing (422 naming the field), body limit (413), JSON responses, error
 * mapping (an unreachable or busy database is a 503 to retry), latency metric and one log line per request.
 */
export function route<
  P extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  B extends z.ZodType = z.ZodUnknown,
  R extends z.ZodType = z.ZodType,
>(
  options: RouteOptions<P, Q, B, R>,
  // A Response is for bodies that are not JSON (downloads); everything else is the response schema's type.
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<z.output<R> | Response>,
) {
  const handle = async (request: Request, nextContext?: NextContext): Promise<Response> => {
    const started = performance.now();
    const traceId = request.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    const url = new URL(request.url);
    const routeName = routeLabel(url.pathname);
    let status = 500;
    let secret: string | null = null;
    try {
      refuseCrossSite(request, url);
      // A bearer token, when sent, decides alone (cookies are not consulted): a pipeline's call never picks up a session.
      secret = bearerSecret(request.headers.get("authorization"));
      const user =
        secret !== null && options.action !== null
          ? await callerForToken(secret, options.action, { traceId, method: request.method, route: routeName })
          : await getCurrentUser();
      if (options.action !== null) {
        if (!user) throw new HttpError(401, "unauthenticated", "Sign in first.");
        await authorize(user, options.action, {}, traceId);
      }
      // Read only once the caller is known: an anonymous caller must not make the server buffer a body for a 401.
      const rawBody = stateChangingMethods.has(request.method.toUpperCase()) ? await readBodyText(request) : "";
      const contentTypeProblem = contentTypeRefusal(
        request.method,
        request.headers.get("content-type"),
        rawBody.trim() !== "",
      );
      if (contentTypeProblem)
        throw new HttpError(415, "unsupported_media_type", contentTypeProblem, [
          { path: "content-type", message: "must be application/json" },
        ]);
      const rawParams = refuseUnstorable((await nextContext?.params) ?? {}, "params");
      const params = await parsePart(options.params, rawParams, "params", 404);
      refuseUnboundedInteger(options.params, rawParams, "params");
      const rawQuery = refuseUnstorable(Object.fromEntries(url.searchParams), "query");
      const query = await parsePart(options.query, rawQuery, "query", 422);
      refuseUnboundedInteger(options.query, rawQuery, "query");
      // Parsed and checked even where the route declares no body: a body is JSON the database could store, or refused.
      const json = refuseUnstorable(parseJson(rawBody), "body");
      const body = options.body ? await parsePart(options.body, json, "body", 422) : undefined;
      refuseUnboundedInteger(options.body, json, "body");
      const result = await handler({
        user: user as PortalUser,
        params,
        query,
        body: body as z.output<B>,
        traceId,
        request,
      });
      if (!(result instanceof Response)) checkResponse(options.response, result, routeName);
      const response =
        result instanceof Response
          ? result
          : Response.json(result ?? { ok: true }, {
              status: options.successStatus ?? 200,
              headers: options.successHeaders,
            });
      status = response.status;
      response.headers.set("x-request-id", traceId);
      return response;
    } catch (error) {
      const response = responseForError(error, traceId, routeName);
      // RFC 6750: a refused bearer token is answered with the scheme and a generic error, never the reason.
      if (secret !== null && response.status === 401)
        response.headers.set("www-authenticate", 'Bearer error="invalid_token"');
      status = response.status;
      return response;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      metrics().httpDuration.observe({ route: routeName, method: request.method, status: String(status) }, seconds);
      logger.info(
        { traceId, method: request.method, route: routeName, status, ms: Math.round(seconds * 1000) },
        "request",
      );
    }
  };
  // The declared options travel with the handler, so tests can enumerate every route's action and schemas.
  return Object.assign(handle, { routeOptions: options as RouteOptions<z.ZodType, z.ZodType, z.ZodType> });
}

/**
 * Outside production, a body that breaks its route's response schema is our bug: a 500 in tests and development, so
 * the schema (and the clients and the OpenAPI document built from it) cannot drift from what the handler sends.
 * Production skips the parse: it costs time on every call, and tsc already holds the handler to the schema's type.
 */
function checkResponse(schema: z.ZodType, result: unknown, routeName: string): void {
  if (getSetting("NODE_ENV") === "production") return;
  const parsed = schema.safeParse(result);
  if (!parsed.success)
    throw new Error(
      `${routeName} answered a body its response schema refuses: ${parsed.error.issues
        .map((i) => `${i.path.join(".") || "body"}: ${i.message}`)
        .join("; ")}`,
    );
}

/** The one table from errors to statuses: domain errors as declared, the database's refusals as 4xx or 503. */
function responseForError(error: unknown, traceId: string, routeName: string): Response {
  const headers = { "x-request-id": traceId };
  const status = statusForError(error);
  if (status !== null && (error instanceof HttpError || error instanceof DomainError))
    return Response.json(errorBody(error.code, error.message, error.fields, traceId), { status, headers });
  const missingReference = foreignKeyField(error);
  if (missingReference !== null) {
    // A use case that did not look its reference up first: still the caller's input, not a fault of ours.
    const path = missingReference || "body";
    return Response.json(
      errorBody(
        "validation_failed",
        `${path} names something that does not exist: pick an existing one.`,
        [{ path: missingReference, message: "does not exist" }],
        traceId,
      ),
      { status: 422, headers },
    );
  }
  if (isUniqueConflict(error)) {
    // Two requests raced for the same row (say two edits making the same next version): the loser changed nothing.
    logger.warn(
      { traceId, route: routeName, err: error instanceof Error ? error.message : String(error) },
      "unique constraint conflict",
    );
    return Response.json(
      errorBody(
        "conflict",
        "Someone else changed this at the same time: reload it and retry your change.",
        undefined,
        traceId,
      ),
      { status: 409, headers },
    );
  }
  if (isDatabaseUnreachable(error)) {
    logger.error(
      { traceId, route: routeName, err: error instanceof Error ? error.message : String(error) },
      "database unreachable",
    );
    return Response.json(
      errorBody(
        "database_unavailable",
        "The portal cannot reach its database right now: try again in a minute.",
        undefined,
        traceId,
      ),
      { status: 503, headers: { ...headers, "retry-after": "30" } },
    );
  }
  if (isDatabaseBusy(error)) {
    logger.warn(
      { traceId, route: routeName, err: error instanceof Error ? error.message : String(error) },
      "database busy",
    );
    return Response.json(
      errorBody("busy", "The portal's database is busy right now: try again in a few seconds.", undefined, traceId),
      { status: 503, headers: { ...headers, "retry-after": "5" } },
    );
  }
  logger.error(
    {
      traceId,
      route: routeName,
      err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
    },
    "unhandled error",
  );
  return Response.json(
    errorBody(
      "internal",
      "Something went wrong on our side. The error was logged with this request id.",
      undefined,
      traceId,
    ),
    { status: 500, headers },
  );
}

async function parsePart<S extends z.ZodType>(
  schema: S | undefined,
  value: unknown,
  part: string,
  status: number,
): Promise<z.output<S>> {
  // A part the route declares no schema for is typed `unknown` (route()'s defaults), which is what it is here.
  if (!schema) return value as z.output<S>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = fieldErrorsFromIssues(result.error.issues);
  const summary = fields.map((f) => `${f.path || part}: ${f.message}`).join("; ");
  throw new HttpError(
    status,
    status === 404 ? "not_found" : "validation_failed",
    status === 404 ? "Not found." : `Invalid ${part}: ${summary}`,
    fields,
  );
}

/**
 * The field of a foreign key the database refused (Prisma P2003: a row names another that does not exist), from the
 * constraint's name (<Model>_<field>_fkey); "" when the field cannot be told; null for other errors.
 */
function foreignKeyField(error: unknown): string | null {
  const e = error as {
    code?: unknown;
    meta?: {
      field_name?: unknown;
      constraint?: unknown;
      driverAdapterError?: { cause?: { constraint?: { index?: unknown } } };
    };
  } | null;
  if (e?.code !== "P2003") return null;
  const name =
    [e.meta?.driverAdapterError?.cause?.constraint?.index, e.meta?.constraint, e.meta?.field_name].find(
      (n): n is string => typeof n === "string",
    ) ?? "";
  return /^[A-Za-z]+_(\w+?)_fkey/.exec(name)?.[1] ?? "";
}

/** Prisma P2002: the database refused a row that would break a unique constraint. */
function isUniqueConflict(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}

/** 403 naming why, for a state change a browser sent from another site or origin. */
function refuseCrossSite(request: Request, url: URL): void {
  const refusal = crossSiteRefusal({
    method: request.method,
    fetchSite: request.headers.get("sec-fetch-site"),
    origin: request.headers.get("origin"),
    ownOrigins: ownOrigins(request.headers, url, getSetting("NEXTAUTH_URL")),
  });
  if (refusal) throw new HttpError(403, "cross_site_refused", refusal);
}

/** The value itself, or a 422 naming the first field whose text PostgreSQL cannot store. */
function refuseUnstorable<T>(value: T, part: string): T {
  const problem = findUnstorableInput(value, part);
  if (problem) throw new HttpError(422, "validation_failed", `Invalid ${part}: ${problem.message}`, [problem]);
  return value;
}

/** A 422 naming an integer field (one without its own upper bound) whose value would overflow an int4 column. */
function refuseUnboundedInteger(schema: z.ZodType | undefined, value: unknown, part: string): void {
  const problem = schema ? findUnboundedInteger(schema, value) : null;
  if (problem)
    throw new HttpError(422, "validation_failed", `Invalid ${part}: ${problem.path || part} ${problem.message}`, [
      problem,
    ]);
}

async function readBodyText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES)
    throw new HttpError(413, "payload_too_large", `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB: send less.`);
  const reader = request.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new HttpError(413, "payload_too_large", `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB: send less.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
  }
}

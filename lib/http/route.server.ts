import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session.server";
import { decide, type Action, type PortalUser, type Resource } from "@/lib/auth/permissions";
import { recordAudit } from "@/lib/audit/record-audit.server";
import { getPrisma, isDatabaseBusy } from "@/lib/db/prisma.server";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics.server";
import { errorBody, fieldErrorsFromIssues, HttpError } from "./errors";
import { routeLabel } from "./route-label";

export const MAX_BODY_BYTES = 1024 * 1024;

interface RouteOptions<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  /** What the caller must be allowed to do; `null` for public routes (health checks). */
  action: Action | null;
  params?: P;
  query?: Q;
  body?: B;
}

export interface RouteContext<P, Q, B> {
  user: PortalUser;
  params: P;
  query: Q;
  body: B;
  requestId: string;
  request: Request;
}

type NextContext = { params: Promise<Record<string, string | string[]>> };

/**
 * Wraps a route handler: request id, session, role check (403 + audit), zod parsing (422 naming the field),
 * body limit (413), JSON responses, error mapping, latency metric and one log line per request.
 */
export function route<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  options: RouteOptions<P, Q, B>,
  handler: (ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
) {
  return async (request: Request, nextContext?: NextContext): Promise<Response> => {
    const started = performance.now();
    const requestId = request.headers.get("x-request-id")?.slice(0, 64) || randomUUID();
    const url = new URL(request.url);
    const routeName = routeLabel(url.pathname);
    let status = 500;
    try {
      const user = await getCurrentUser();
      if (options.action !== null) {
        if (!user) throw new HttpError(401, "unauthenticated", "Sign in first.");
        await authorize(user, options.action, {}, requestId);
      }
      const params = await parsePart(options.params, (await nextContext?.params) ?? {}, "params", 404);
      const query = await parsePart(options.query, Object.fromEntries(url.searchParams), "query", 422);
      const body = options.body ? await parsePart(options.body, await readJsonBody(request), "body", 422) : undefined;
      const result = await handler({ user: user as PortalUser, params, query, body: body as z.output<B>, requestId, request });
      const response = result instanceof Response ? result : Response.json(result ?? { ok: true });
      status = response.status;
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      if (error instanceof HttpError) {
        status = error.status;
        return Response.json(errorBody(error.code, error.message, error.fields, requestId), { status, headers: { "x-request-id": requestId } });
      }
      if (isDatabaseBusy(error)) {
        status = 503;
        logger.warn({ requestId, route: routeName, err: error instanceof Error ? error.message : String(error) }, "database busy");
        return Response.json(errorBody("busy", "The portal's database is busy right now: try again in a few seconds.", undefined, requestId), { status, headers: { "x-request-id": requestId, "retry-after": "5" } });
      }
      status = 500;
      logger.error({ requestId, route: routeName, err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, "unhandled error");
      return Response.json(errorBody("internal", "Something went wrong on our side. The error was logged with this request id.", undefined, requestId), { status, headers: { "x-request-id": requestId } });
    } finally {
      const seconds = (performance.now() - started) / 1000;
      metrics().httpDuration.observe({ route: routeName, method: request.method, status: String(status) }, seconds);
      logger.info({ requestId, method: request.method, route: routeName, status, ms: Math.round(seconds * 1000) }, "request");
    }
  };
}

/** Per-resource check inside a handler; a denial is a 403 with no data and an audit event. */
export async function authorize(user: PortalUser, action: Action, resource: Resource, requestId?: string): Promise<void> {
  const decision = decide(user, action, resource);
  if (decision.allowed) return;
  await recordAudit(getPrisma(), {
    actor: { id: user.id, email: user.email },
    action,
    targetType: "api",
    targetId: null,
    outcome: "denied",
    traceId: requestId,
    details: { reason: decision.reason, ...resource },
  });
  throw new HttpError(403, "forbidden", "You are not allowed to do this.");
}

async function parsePart<S extends z.ZodType | undefined>(schema: S, value: unknown, part: string, status: number) {
  if (!schema) return value as never;
  const result = schema.safeParse(value);
  if (result.success) return result.data as never;
  const fields = fieldErrorsFromIssues(result.error.issues);
  const summary = fields.map((f) => `${f.path || part}: ${f.message}`).join("; ");
  throw new HttpError(status, status === 404 ? "not_found" : "validation_failed", status === 404 ? "Not found." : `Invalid ${part}: ${summary}`, fields);
}

async function readJsonBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, "payload_too_large", `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB: send less.`);
  const reader = request.body?.getReader();
  if (!reader) return undefined;
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
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
  }
}

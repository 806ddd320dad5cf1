// The OpenAPI 3.1 document of /api/v1, generated from the options every handler declares to route(): its action,
// and the zod schemas of its path parameters, query and body. A route cannot be added without its schemas, so the
// document cannot drift from what the server accepts.
import { z } from "zod";
import { buildOpenApiDocument as buildPlanDocument } from "@/lib/plans/openapi";

export const documentedMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type DocumentedMethod = (typeof documentedMethods)[number];

export interface DocumentedRoute {
  method: DocumentedMethod;
  /** The file-system path, as Next.js routes it: "/api/v1/requests/[id]/approve". */
  path: string;
  /** The action the caller must be allowed (lib/auth/permissions.ts); null for public routes. */
  action: string | null;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The 2xx body. */
  response: z.ZodType;
  /** Its media type when not JSON (a download). */
  responseMediaType?: string;
  /** The 2xx status the route answers with (201 for creations); 200 by default. */
  successStatus?: number;
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

/** "/api/v1/requests/[id]" → "/api/v1/requests/{id}". */
export function openApiPath(path: string): string {
  return path.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}");
}

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  // Refinements (min ≤ max and the like) have no JSON Schema form; the server enforces them and names the field.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
    // Dates leave the server as JSON strings (ISO 8601).
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === "date")
        Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
    },
  }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.ZodType | undefined, where: "path" | "query"): unknown[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, "input");
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: property,
  }));
}

const errorBody = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          description: "What went wrong, for programs: validation_failed, not_found, conflict, forbidden, …",
        },
        message: { type: "string", description: "What went wrong and what to do, for people." },
        fields: {
          type: "array",
          items: {
            type: "object",
            required: ["path", "message"],
            properties: { path: { type: "string" }, message: { type: "string" } },
          },
        },
        requestId: { type: "string", description: "The trace id of the call, as logged." },
      },
    },
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function operationOf(route: DocumentedRoute): Record<string, unknown> {
  const responses: Record<string, unknown> = {
    [String(route.successStatus ?? 200)]: {
      description: "Success",
      content: { [route.responseMediaType ?? "application/json"]: { schema: jsonSchemaOf(route.response, "output") } },
    },
  };
  if (route.action !== null) {
    responses["401"] = errorResponse("Not signed in, or the API token is unknown, expired or revoked");
    responses["403"] = errorResponse(`The caller may not do ${route.action}`);
  }
  if (route.params) responses["404"] = errorResponse("Nothing with this id, or nothing the caller may see");
  if (route.query || route.body || route.params)
    responses["422"] = errorResponse("Invalid input: each error names the field and the fix");
  if (route.body) responses["413"] = errorResponse("Body over 1 MB");
  return {
    operationId: `${route.method.toLowerCase()}${openApiPath(route.path)
      .replace(/^\/api\/v1/, "")
      .replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    summary: route.action === null ? "Public" : `Requires ${route.action}`,
    ...(route.action === null ? { security: [] } : {}),
    parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchemaOf(route.body, "input") } },
          },
        }
      : {}),
    responses,
  };
}

/** The whole document: every route's operation, with the plan engine's hand-described output kept for its route. */
export function buildApiDocument(routes: readonly DocumentedRoute[]): Record<string, unknown> {
  const plans = buildPlanDocument() as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, unknown> };
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const path = openApiPath(route.path);
    const method = route.method.toLowerCase();
    const generated = operationOf(route);
    // The plan engine's output has no zod schema of its own; its operation keeps the hand-described PlanOutput.
    const described = plans.paths[path]?.[method];
    (paths[path] ??= {})[method] = described
      ? {
          ...generated,
          ...described,
          responses: { ...(generated.responses as object), ...(described.responses as object) },
          security: [{ session: [] }, { token: [] }],
        }
      : generated;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "ML infrastructure portal API",
      version: "1.0.0",
      description: "Every /api/v1 route; errors are { error: { code, message, fields? } }.",
    },
    paths,
    security: [{ session: [] }, { token: [] }],
    components: {
      schemas: { ...plans.components.schemas, Error: errorBody },
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
        token: { type: "http", scheme: "bearer", description: "An API token (mlp_…) created under API tokens" },
      },
    },
  };
}

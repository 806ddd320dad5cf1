import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildApiDocument, openApiPath } from "./openapi";

type Any = Record<string, any>;

describe("buildApiDocument", () => {
  const doc = buildApiDocument([
    {
      method: "PATCH",
      path: "/api/v1/things/[id]",
      action: "thing.edit",
      params: z.object({ id: z.string().uuid() }),
      query: z.object({ dryRun: z.boolean().optional(), reason: z.string() }),
      body: z.object({ name: z.string().max(63), replicas: z.number().int().min(1).default(1) }),
      response: z.object({ id: z.string(), version: z.number().int() }),
    },
    { method: "GET", path: "/api/v1/health", action: null, response: z.object({ ok: z.boolean(), at: z.date() }) },
    {
      method: "POST",
      path: "/api/v1/things",
      action: "thing.create",
      body: z.object({ name: z.string() }),
      response: z.string(),
      responseMediaType: "text/csv",
      successStatus: 201,
    },
  ]) as Any;

  it("turns Next.js path segments into OpenAPI templates", () => {
    expect(openApiPath("/api/v1/drills/[id]/steps/[index]/confirm")).toBe("/api/v1/drills/{id}/steps/{index}/confirm");
    expect(Object.keys(doc.paths)).toEqual(["/api/v1/health", "/api/v1/things", "/api/v1/things/{id}"]);
  });

  it("takes parameters, body and response from the route's zod schemas", () => {
    const op = doc.paths["/api/v1/things/{id}"].patch;
    expect(op.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: expect.objectContaining({ type: "string", format: "uuid" }) },
      { name: "dryRun", in: "query", required: false, schema: { type: "boolean" } },
      { name: "reason", in: "query", required: true, schema: { type: "string" } },
    ]);
    const body = op.requestBody.content["application/json"].schema;
    expect(body.properties.name).toEqual({ type: "string", maxLength: 63 });
    expect(body.properties.replicas).toMatchObject({ type: "integer", minimum: 1, default: 1 });
    expect(body.required).toEqual(["name"]);
    expect(op.responses["200"].content["application/json"].schema.required).toEqual(["id", "version"]);
  });

  it("lists the error answers the route can give, in the one error shape", () => {
    const op = doc.paths["/api/v1/things/{id}"].patch;
    expect(Object.keys(op.responses).sort()).toEqual(["200", "401", "403", "404", "413", "422"]);
    expect(op.responses["422"].content["application/json"].schema.$ref).toBe("#/components/schemas/Error");
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
  });

  it("answers a creation with the status the route declares", () => {
    expect(Object.keys(doc.paths["/api/v1/things"].post.responses)).toContain("201");
    expect(Object.keys(doc.paths["/api/v1/things"].post.responses)).not.toContain("200");
  });

  it("describes a date as the ISO 8601 string JSON carries, and a download by its media type", () => {
    const health = doc.paths["/api/v1/health"].get.responses["200"].content["application/json"].schema;
    expect(health.properties.at).toEqual({ type: "string", format: "date-time" });
    expect(doc.paths["/api/v1/things"].post.responses["201"].content).toEqual({
      "text/csv": { schema: { type: "string" } },
    });
  });

  it("marks a public route as needing no credentials and no 401/403", () => {
    const op = doc.paths["/api/v1/health"].get;
    expect(op.security).toEqual([]);
    expect(Object.keys(op.responses)).toEqual(["200"]);
  });
});

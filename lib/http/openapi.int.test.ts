import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";
import { apiRoutes } from "@/test-support/api-routes";
import { openApiPath } from "./openapi";

type Operation = {
  parameters: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

describe("GET /api/v1/openapi.json", () => {
  it("documents every /api/v1 route file's every method, with its parameters and body", async () => {
    const doc = (await GET().json()) as Document;
    expect(doc.openapi).toBe("3.1.0");
    const routes = (await apiRoutes()).filter((r) => r.pattern.startsWith("/api/v1/"));
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes
      .filter((r) => !doc.paths[openApiPath(r.pattern)]?.[r.method.toLowerCase()])
      .map((r) => r.key);
    expect(missing).toEqual([]);
    for (const route of routes) {
      const handler = await route.load();
      const options = handler.routeOptions;
      if (!options) continue;
      const operation = doc.paths[openApiPath(route.pattern)]![route.method.toLowerCase()];
      const pathNames = [...route.pattern.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
      expect(
        operation!.parameters
          .filter((p) => p.in === "path")
          .map((p) => p.name)
          .sort(),
        route.key,
      ).toEqual(pathNames.sort());
      expect(Boolean(operation!.requestBody), route.key).toBe(Boolean(options.body));
      expect(options.response, `${route.key} declares no response schema`).toBeDefined();
      const success = Object.entries(operation!.responses).find(([status]) => status.startsWith("2"))?.[1] as
        { content: Record<string, { schema: Record<string, unknown> }> } | undefined;
      const described = Object.values(success?.content ?? {})[0]?.schema ?? {};
      expect(Object.keys(described).length, `${route.key} documents no response body`).toBeGreaterThan(0);
      if (options.action !== null)
        expect(Object.keys(operation!.responses), route.key).toEqual(expect.arrayContaining(["401", "403"]));
    }
  });

  it("documents no route that does not exist", async () => {
    const doc = (await GET().json()) as Document;
    const files = new Set((await apiRoutes()).map((r) => `${r.method.toLowerCase()} ${openApiPath(r.pattern)}`));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented.filter((op) => !files.has(op))).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { documentedRoutes } from "@/app/api/v1/openapi.json/route-catalog";
import type { AnyEndpoint } from "./api-client";
import { api } from "./endpoints";

/** Every endpoint of the typed client, found by walking `api`, with the key path it sits under. */
function clientEndpoints(node: unknown, at: string[] = []): { name: string; endpoint: AnyEndpoint }[] {
  if (typeof node !== "object" || node === null) return [];
  if ("method" in node && "path" in node && "response" in node)
    return [{ name: at.join("."), endpoint: node as AnyEndpoint }];
  return Object.entries(node).flatMap(([key, child]) => clientEndpoints(child, [...at, key]));
}

describe("the typed client (lib/client api.*)", () => {
  it("calls only routes that exist, and reads each answer with the schema the route answers with", () => {
    const endpoints = clientEndpoints(api);
    expect(endpoints.length).toBeGreaterThan(30);
    const routes = documentedRoutes();
    const mismatches = endpoints.flatMap(({ name, endpoint }) => {
      // The client writes path parameters as {id}, route files as [id].
      const path = endpoint.path.replace(/\{([^}]+)\}/g, "[$1]");
      const route = routes.find((r) => r.method === endpoint.method && r.path === path);
      if (!route) return [`api.${name}: no route ${endpoint.method} ${path}`];
      if (route.response !== endpoint.response) return [`api.${name}: another response schema than the route's`];
      return [];
    });
    expect(mismatches).toEqual([]);
  });
});

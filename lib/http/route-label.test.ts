import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { routeLabel, STATIC_SEGMENTS } from "./route-label";

function staticFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [...(e.name.startsWith("[") ? [] : [e.name]), ...staticFolders(path.join(dir, e.name))]);
}

describe("routeLabel", () => {
  it("knows every static folder under app/api (add a new one to STATIC_SEGMENTS)", () => {
    const folders = new Set(["api", ...staticFolders(path.resolve(__dirname, "../../app/api"))]);
    expect([...STATIC_SEGMENTS].sort()).toEqual([...folders].sort());
  });
  it("replaces ids, keys and made-up segments, so label values stay bounded", () => {
    expect(routeLabel("/api/v1/requests/cmabc123/approve")).toBe("/api/v1/requests/:param/approve");
    expect(routeLabel("/api/v1/dr-plans/model_corruption/history")).toBe("/api/v1/dr-plans/:param/history");
    expect(routeLabel("/api/v1/dr-plans/anything-an-attacker-types")).toBe(
      routeLabel("/api/v1/dr-plans/something-else"),
    );
    expect(routeLabel("/api/healthz")).toBe("/api/healthz");
  });
});

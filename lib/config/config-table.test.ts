import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderConfigTable } from "./config-table";
import { envSchema } from "./env";

describe("README configuration table", () => {
  it("lists every setting the portal validates, exactly as generated (regenerate: npm run -s portal -- config-table)", () => {
    const readme = readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");
    expect(readme).toContain(renderConfigTable());
    const documented = [...renderConfigTable().matchAll(/^\| `([A-Z_]+)`/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});

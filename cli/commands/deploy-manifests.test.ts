// The deploy-manifests command writes exactly the rendered files, and refuses an --out that would nest base/base.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generatePortalManifests } from "@/lib/deploy/generate-portal-manifests";
import { renderPortalManifestFiles } from "@/lib/deploy/render-portal-manifests";

const repoRoot = path.resolve(__dirname, "../..");
const portal = (args: string[]) =>
  spawnSync(path.join(repoRoot, "node_modules/.bin/tsx"), ["--conditions=react-server", "cli/portal.ts", ...args], {
    cwd: repoRoot,
    encoding: "utf8",
  });

describe("portal deploy-manifests", { timeout: 30_000 }, () => {
  it("writes the rendered files, removes stale generated ones and leaves overlays alone", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-manifests-"));
    try {
      fs.mkdirSync(path.join(out, "base"), { recursive: true });
      fs.writeFileSync(path.join(out, "base", "stale.yaml"), "kind: Old\n");
      fs.mkdirSync(path.join(out, "overlays", "prod"), { recursive: true });
      fs.writeFileSync(path.join(out, "overlays", "prod", "kustomization.yaml"), "resources: [../../base]\n");
      const result = portal(["deploy-manifests", "--out", out]);
      expect(result.status).toBe(0);
      const expected = renderPortalManifestFiles(generatePortalManifests());
      for (const [relative, content] of Object.entries(expected))
        expect(fs.readFileSync(path.join(out, relative), "utf8")).toBe(content);
      expect(fs.existsSync(path.join(out, "base", "stale.yaml"))).toBe(false);
      expect(fs.existsSync(path.join(out, "overlays", "prod", "kustomization.yaml"))).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it("exits 2 when --out points at base/ itself", () => {
    const result = portal(["deploy-manifests", "--out", "deploy/base"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("use --out deploy");
  });
});

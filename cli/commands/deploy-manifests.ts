// `npm run -s portal -- deploy-manifests [--out deploy]`: writes the portal's own Kustomize base and components.
// --out is the deploy/ root: files go to <out>/base, <out>/components/service-monitor and <out>/README.md.
// Generated files that no longer exist in the output are removed so the folder matches the generator exactly.
import fs from "node:fs";
import path from "node:path";
import { generatePortalManifests } from "@/lib/deploy/generate-portal-manifests";
import { renderPortalManifestFiles } from "@/lib/deploy/render-portal-manifests";
import type { CliCommand } from "./registry";

const usage = "usage: npm run -s portal -- deploy-manifests [--out <deploy root, default deploy>]\n";

function listFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

async function run(argv: string[]): Promise<number> {
  let out = "deploy";
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? "";
    if (argument === "--out" && argv[index + 1]) out = argv[++index] ?? out;
    else if (argument.startsWith("--out=")) out = argument.slice("--out=".length);
    else {
      process.stderr.write(`deploy-manifests: unexpected argument "${argv[index]}"\n${usage}`);
      return 2;
    }
  }
  if (path.basename(path.resolve(out)) === "base") {
    process.stderr.write(
      `deploy-manifests: --out is the deploy root (base/ and components/ are written inside it): use --out ${path.dirname(out)}\n`,
    );
    return 2;
  }
  const files = renderPortalManifestFiles(generatePortalManifests());
  // Only the folders the generator owns are cleaned; anything else under --out (overlays) is left alone.
  const owned = ["base", "components"].flatMap((folder) =>
    listFiles(path.join(out, folder)).map((relative) => `${folder}/${relative.split(path.sep).join("/")}`),
  );
  for (const stale of owned.filter((relative) => !(relative in files) && /\.(ya?ml|md)$/.test(relative))) {
    fs.rmSync(path.join(out, stale));
    process.stdout.write(`removed ${path.join(out, stale)}\n`);
  }
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(out, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
  }
  process.stdout.write(`wrote ${Object.keys(files).length} files under ${out}/\n`);
  return 0;
}

export const deployManifestsCommand: CliCommand = {
  summary: "write the portal's own Kustomize manifests (deploy/base, deploy/components)",
  run,
};

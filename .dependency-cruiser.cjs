// Import rules of the house style (../shared/STYLE.md, "What may call what"), checked by `npm test -- --only lint`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "pure-imports-server",
      severity: "error",
      comment:
        "A plain .ts file in lib/ is pure: it runs in the browser and the CLI too, so it cannot depend on I/O. " +
        "Move the I/O into a .server.ts file, or pass its result in as a parameter.",
      // __fixtures__ hold test set-up (seeding a database), which is I/O by nature.
      from: { path: "^lib/", pathNot: ["\\.server\\.tsx?$", "\\.test\\.tsx?$", "/__fixtures__/", "^lib/generated/"] },
      to: { path: "\\.server\\.tsx?$" },
    },
    {
      name: "component-imports-server",
      severity: "error",
      comment:
        "Components are bundled for the browser: they receive data from pages or call the API, never .server code.",
      from: { path: "^components/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "\\.server\\.tsx?$" },
    },
    {
      name: "domain-imports-http",
      severity: "error",
      comment:
        "Domain code knows nothing about HTTP, so the worker and the CLI can call the same use cases. Throw a " +
        "DomainError (lib/errors) and let route() map its code to a status.",
      from: { path: "^lib/(?!http/)[^/]+/", pathNot: "\\.test\\.tsx?$" },
      to: { path: "^lib/http/" },
    },
    {
      name: "no-circular",
      severity: "error",
      comment:
        "A cycle means two modules are one idea split in two: merge them or move the shared part down. A type-only " +
        "import is erased when compiled, so a schema.ts that exports its domain's types to the helpers it imports " +
        "(or a command registry whose commands name its type) is no cycle at run time.",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^node_modules/", "^\\.next/", "^lib/generated/", "^\\.data/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};

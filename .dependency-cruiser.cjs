/**
 * `pnpm deps` (part of `pnpm test`): the import graph of every package's source has no cycle, the API package never
 * reaches into an app, and the SDK takes only types from the API.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      severity: "error",
      comment: "A module imports itself through others: split the shared part out.",
      from: {},
      to: { circular: true },
    },
    {
      name: "api-imports-no-app",
      severity: "error",
      comment: "packages/api is the contract and its implementation; the apps use it, never the other way round.",
      from: { path: "^packages/api/" },
      to: { path: "^apps/" },
    },
    {
      name: "sdk-takes-only-types-from-the-api",
      severity: "error",
      comment: "A front end that installs the SDK must pull in no server code.",
      from: { path: "^packages/sdk/src/" },
      to: { path: "^packages/api/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules|test-results)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["source", "import", "types", "default"],
      extensions: [".ts", ".js"],
    },
    combinedDependencies: true,
  },
};

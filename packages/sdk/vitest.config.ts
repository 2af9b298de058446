import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const apiSource = (path: string) => fileURLToPath(new URL(`../api/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run the API and the SDK from source; examples import the SDK by its package name, as a consumer does.
    alias: [
      { find: /^@internship\/api\/testing$/, replacement: apiSource("testing/index.ts") },
      { find: /^@internship\/api$/, replacement: apiSource("index.ts") },
      { find: /^@internship\/sdk$/, replacement: fileURLToPath(new URL("src/index.ts", import.meta.url)) },
    ],
  },
  test: {
    globalSetup: [apiSource("testing/global-setup.ts")],
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
    hookTimeout: 60_000,
  },
});

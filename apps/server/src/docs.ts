import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Env, Hono } from "hono";

const require = createRequire(import.meta.url);

// Served from our own process so the docs work with no internet.
const swaggerDir = dirname(require.resolve("swagger-ui-dist/package.json"));
const redocBundle = require.resolve("redoc/bundles/redoc.standalone.js");

type Asset = { file: string; type: string };
const ASSETS: Record<string, Asset> = {
  "/docs/assets/swagger-ui.css": { file: join(swaggerDir, "swagger-ui.css"), type: "text/css; charset=utf-8" },
  "/docs/assets/swagger-ui-bundle.js": {
    file: join(swaggerDir, "swagger-ui-bundle.js"),
    type: "text/javascript; charset=utf-8",
  },
  "/redoc/assets/redoc.standalone.js": { file: redocBundle, type: "text/javascript; charset=utf-8" },
};

const swaggerHtml = (title: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} - Swagger UI</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", persistAuthorization: true });
  </script>
</body>
</html>`;

const redocHtml = (title: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} - ReDoc</title>
</head>
<body>
  <redoc spec-url="/openapi.json"></redoc>
  <script src="/redoc/assets/redoc.standalone.js"></script>
</body>
</html>`;

/** `/openapi.json`, Swagger UI at `/docs` and ReDoc at `/redoc`, with every asset served locally. */
export function mountDocs<E extends Env>(app: Hono<E>, title: string, document: () => Promise<object>): void {
  let documentJson: Promise<string> | undefined;
  const escapedTitle = title.replace(/[<>&"]/g, "");
  app.get("/openapi.json", async (c) => {
    documentJson ??= document().then((built) => JSON.stringify(built));
    return c.body(await documentJson, 200, { "content-type": "application/json" });
  });
  app.get("/docs", (c) => c.html(swaggerHtml(escapedTitle)));
  app.get("/redoc", (c) => c.html(redocHtml(escapedTitle)));
  const cache = new Map<string, Buffer>();
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, (c) => {
      let content = cache.get(path);
      if (!content) {
        content = readFileSync(asset.file);
        cache.set(path, content);
      }
      return c.body(new Uint8Array(content), 200, {
        "content-type": asset.type,
        "cache-control": "public, max-age=86400",
      });
    });
  }
}

import { writeFileSync } from "node:fs";
import { renderArtifacts } from "./artifacts.js";

for (const [path, contents] of Object.entries(await renderArtifacts())) {
  writeFileSync(new URL(`../${path}`, import.meta.url), contents);
  console.log(`wrote packages/sdk/${path}`);
}

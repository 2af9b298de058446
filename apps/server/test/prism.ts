import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/*
 * With PRISM set to a Stoplight Prism binary, every REST request a test sends goes through Prism's validating proxy
 * in front of the test's own server, and a file fails when Prism saw a response its document does not allow
 * (docs/rest-routing.md says how to run it). Requests are not validated: tests send bad ones on purpose.
 */
export const PRISM_BINARY = process.env.PRISM;

export type PrismProxy = { baseUrl: string; close(): Promise<string[]> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export async function startPrism(binary: string, document: unknown, upstream: string): Promise<PrismProxy> {
  const file = join(mkdtempSync(join(tmpdir(), "prism-")), "openapi.json");
  writeFileSync(file, JSON.stringify(document));
  const port = await freePort();
  const args = ["proxy", file, upstream, "--port", String(port), "--cors=false", "--validate-request=false"];
  const child: ChildProcess = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const violations: string[] = [];
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split("\n"))
        if (/Violation: response/.test(line)) violations.push(line.trim());
      if (output.includes("Prism is listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => reject(new Error(`Prism exited (${code}):\n${output}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      return violations;
    },
  };
}

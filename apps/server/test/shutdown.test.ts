import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "./server-process.js";

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("graceful shutdown", () => {
  // Starting the server from source on a fresh database takes seconds; more on a loaded machine.
  it("finishes a request in flight on SIGTERM, refuses new connections, and exits 0", {
    timeout: 120_000,
  }, async () => {
    server = await startServerProcess();
    const health = await fetch(`${server.baseUrl}/`);
    expect(health.status).toBe(200);

    // A sign-up whose body arrives in two parts: the request is in flight while the signal comes.
    const body = JSON.stringify({
      email: "inflight@example.com",
      username: "inflight",
      password: "long enough password",
    });
    const { port } = new URL(server.baseUrl);
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/users/",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server?.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });

    const answer = await inFlight;
    expect(answer.status).toBeLessThan(500);
    expect(answer.status).not.toBe(0);
    await expect(fetch(`${server.baseUrl}/`)).rejects.toThrow();
    expect(await server.exited).toBe(0);
  });
});

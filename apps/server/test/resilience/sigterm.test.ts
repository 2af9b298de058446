import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type ServerProcess, startServerProcess } from "../server-process.js";
import { PASSWORD } from "./support.js";

let server: ServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

type Sent = { written: Promise<void>; answer: Promise<{ status: number; body: string }> };

/** Sends a request and tells apart "fully written" (the server has it) from "answered". */
function send(agent: Agent, port: number, method: string, path: string, body?: unknown): Sent {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  let written!: () => void;
  const writtenPromise = new Promise<void>((resolve) => {
    written = resolve;
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: payload === undefined ? {} : { "content-type": "application/json" },
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
    req.on("finish", written);
    req.end(payload);
  });
  return { written: writtenPromise, answer };
}

describe("SIGTERM under load", () => {
  it("completes every request already accepted, then exits 0", async () => {
    // Sign-ups at bcrypt cost 12 keep the libuv pool (4 threads) busy for a second or more: most are in flight at
    // the signal.
    server = await startServerProcess({ BCRYPT_ROUNDS: "12" });
    const port = Number(new URL(server.baseUrl).port);
    const count = 16;
    const agent = new Agent({ keepAlive: true, maxSockets: count });
    // Accepted means on a connection the server has taken: open every connection with a first request.
    const opened = await Promise.all(Array.from({ length: count }, () => send(agent, port, "GET", "/").answer));
    expect(opened.map((answer) => answer.status)).toEqual(opened.map(() => 200));

    const suffix = randomBytes(4).toString("hex");
    const signUps = Array.from({ length: count }, (_, index) =>
      send(agent, port, "POST", "/users/", {
        email: `sigterm-${suffix}-${index}@example.com`,
        username: `sigterm_${suffix}_${index}`,
        password: PASSWORD,
      }),
    );
    await Promise.all(signUps.map((request) => request.written));
    // Written is not yet read: leave the server a moment to read every request before the signal.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const signalled = performance.now();
    server.child.kill("SIGTERM");

    const answers = await Promise.all(
      signUps.map((request) => request.answer.then((answer) => ({ ...answer, at: performance.now() }))),
    );
    agent.destroy();
    expect(answers.map((answer) => answer.status)).toEqual(signUps.map(() => 201));
    // The signal really came while they were being worked on.
    expect(answers.filter((answer) => answer.at > signalled).length).toBeGreaterThan(0);
    expect(await server.exited).toBe(0);
  });
});

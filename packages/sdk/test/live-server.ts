import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createTestApp, type TestApp } from "../../../apps/server/test/helpers.js";

export { signUpBody } from "../../../apps/server/test/helpers.js";

export type LiveServer = {
  /** The base URL the SDK is given, e.g. `http://127.0.0.1:41234`. */
  url: string;
  app: TestApp;
  close(): Promise<void>;
};

/** The real app on a database of this file's own, listening on a free port: the SDK reaches it over real HTTP. */
export async function startLiveServer(): Promise<LiveServer> {
  const app = await createTestApp();
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const listening = serve({ fetch: app.app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    close: async () => {
      if ("closeAllConnections" in server) server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await app.close();
    },
  };
}

/** A `fetch` that records the path of every request it sends, e.g. `/trpc/auth.refresh`. */
export function recordingFetch(): { fetch: typeof globalThis.fetch; paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      paths.push(new URL(url).pathname);
      return fetch(input, init);
    },
  };
}

/** An access token of `userId` that expired a minute ago, signed with the server's key: the server answers 401. */
export function expiredAccessToken(server: LiveServer, userId: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const signed = `${encode({ alg: "HS256", typ: "JWT" })}.${encode({ type: "access", sub: userId, iat: now - 120, exp: now - 60 })}`;
  const signature = createHmac("sha256", server.app.deps.config.jwt.accessSecret).update(signed).digest("base64url");
  return `${signed}.${signature}`;
}

import type { HttpBindings } from "@hono/node-server";
import type { Next } from "hono";

/**
 * Runs the rest of the chain so that the answer, whatever produces it (a handler, tRPC, the error handler), carries
 * `headers`. On Node they go on the outgoing message first and Node merges them with the Response's own at
 * `writeHead` (the Response's win a clash; ours are names no handler sets). Set on the Response afterwards, they made
 * @hono/node-server build a full Headers object for every answer: ~25 µs of a ~100 µs request. Without a Node
 * socket (`app.request`) they go on the Response.
 */
export async function withAnswerHeaders(
  c: { env: Partial<HttpBindings> | undefined; res: Response },
  headers: Record<string, string>,
  next: Next,
): Promise<void> {
  const outgoing = c.env?.outgoing;
  if (outgoing) {
    for (const [name, value] of Object.entries(headers)) outgoing.setHeader(name, value);
    await next();
    return;
  }
  await next();
  for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
}

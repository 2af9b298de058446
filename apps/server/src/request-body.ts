import type { IncomingMessage } from "node:http";
import { errorResponse } from "./error-response.js";

/** The largest JSON body accepted, on REST and /trpc alike. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;
const MAX_JSON_DEPTH = 64;

export const payloadTooLarge = () =>
  errorResponse(413, { detail: "Request body too large", code: "PAYLOAD_TOO_LARGE" });

/** Reads a JSON object body: 415 for another type, 413 past 1 MiB, 400 when malformed or too deep, 422 for a non-object. */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | Response> {
  const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (contentType && contentType !== "application/json" && !contentType.endsWith("+json")) {
    return errorResponse(415, {
      detail: "Unsupported Content-Type; send application/json",
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
  }
  const raw = await readLimited(request, MAX_JSON_BODY_BYTES);
  if (raw === undefined) return payloadTooLarge();
  if (raw.trim() === "") return {};
  if (jsonDepth(raw) > MAX_JSON_DEPTH) {
    return errorResponse(400, { detail: "JSON nested too deeply", code: "PARSE_ERROR" });
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return errorResponse(400, { detail: "Malformed JSON body", code: "PARSE_ERROR" });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return errorResponse(422, {
      detail: "Validation error",
      code: "BAD_REQUEST",
      issues: [{ path: [], message: "The body must be a JSON object" }],
    });
  }
  return value as Record<string, unknown>;
}

/**
 * The body as text, or undefined when it is over `limit` bytes: a declared Content-Length says so at once, and the
 * stream is counted as it is read (a chunked body declares nothing), reading stops as soon as it is over.
 */
export async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return undefined;
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * As readLimited, from Node's own request stream: no fetch Request is built to read it. Past the limit it stops
 * listening without destroying the stream, so the 413 still goes out (@hono/node-server drains what is left).
 */
export function readIncomingLimited(incoming: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(incoming.headers["content-length"] ?? "0");
  if (declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
      incoming.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else {
        stop();
        resolve(undefined);
      }
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onClose = () => onError(new Error("the client closed the request before its body ended"));
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
    incoming.on("close", onClose);
  });
}

/** The deepest nesting of arrays and objects in a JSON text, counted without parsing it. */
function jsonDepth(raw: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < raw.length; index++) {
    const char = raw[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") deepest = Math.max(deepest, ++depth);
    else if (char === "}" || char === "]") depth--;
  }
  return deepest;
}

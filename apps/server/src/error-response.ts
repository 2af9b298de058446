import type { ErrorBody } from "@internship/api";

/** Every error the server writes itself goes through here, so all of them share the contract's body. */
export function errorResponse(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...headers, "content-type": "application/json" },
  });
}

import { TRPCClientError } from "@trpc/client";
import { expect } from "vitest";

/** Asserts an error answer (and `WWW-Authenticate` on a 401); on failure the message shows the whole answer. */
export async function expectError(
  response: Response,
  status: number,
  detail?: string,
): Promise<{ detail: string; code: string; issues?: unknown[] }> {
  const body = (await response.json()) as { detail: string; code: string };
  expect({ status: response.status, body }).toMatchObject({
    status,
    body: { code: expect.any(String), ...(detail !== undefined && { detail }) },
  });
  if (status === 401) expect(response.headers.get("www-authenticate")).toBe("Bearer");
  return body;
}

/** Asserts a 204 with no body. */
export async function expectNoContent(response: Response): Promise<void> {
  expect({ status: response.status, body: await response.text() }).toEqual({ status: 204, body: "" });
}

/** Asserts a success status and returns the parsed body. */
export async function expectJson<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  expect({ status: response.status, body: text }).toEqual({ status, body: expect.any(String) });
  return JSON.parse(text) as T;
}

/** The tRPC error a call rejects with (fails the test when it succeeds or throws something else). */
export async function trpcErrorOf(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const { data, message } = error as { data: { code: string; httpStatus: number }; message: string };
  return { code: data.code, httpStatus: data.httpStatus, message };
}

export async function expectTrpcError(call: Promise<unknown>, code: string, message?: string): Promise<void> {
  expect(await trpcErrorOf(call)).toMatchObject({ code, ...(message && { message }) });
}

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

/**
 * The directory's page cursor, written again from its description (packages/api/src/pagination.ts): the sort key as
 * base64url JSON, a dot, and the first 16 base64url characters of sha256("companies\n" + payload). The floor answers
 * with it and the bench builds a deep one with it; parity checks the server agrees byte for byte.
 */
import { createHash } from "node:crypto";

export type SortKey = { at: string; id: string };

const SCOPE = "companies";
const checksum = (payload: string) =>
  createHash("sha256").update(SCOPE).update("\n").update(payload).digest("base64url").slice(0, 16);

export function encodeCursor(key: SortKey): string {
  const payload = Buffer.from(JSON.stringify([key.at, key.id])).toString("base64url");
  return `${payload}.${checksum(payload)}`;
}

/** The key, or undefined for anything but an intact cursor of this list (the server's finer checks are not redone). */
export function decodeCursor(cursor: string): SortKey | undefined {
  const [payload, check, ...rest] = cursor.split(".");
  if (!payload || rest.length > 0 || check !== checksum(payload)) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
    return typeof at === "string" && typeof id === "string" ? { at, id } : undefined;
  } catch {
    return undefined;
  }
}

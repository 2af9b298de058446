import { TRPCError } from "@trpc/server";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { companies, companyMembers, type ItemStatus, users } from "../../db/schema.js";
import { conflict, firstRow, onViolation } from "../../errors.js";
import type { CompanyAccess } from "../companies/access.js";
import { type ItemKind, isExpired, statusIs } from "./items.js";

const ALREADY_MEMBER = "User is already a member";

/**
 * Creates a pending item for `subject`, the user who would become a member (the owner counts as one). The
 * partial unique index, not the checks, is what keeps it to one pending item per pair.
 */
export async function openItem<Row>(
  kind: ItemKind,
  subject: CompanyAccess,
  insert: () => Promise<Row[]>,
): Promise<Row> {
  if (subject.role === "owner") throw new TRPCError({ code: "CONFLICT", message: kind.messages.ownerRefused });
  if (subject.role !== null) throw new TRPCError({ code: "CONFLICT", message: ALREADY_MEMBER });
  return firstRow(await onViolation(insert, kind.violations));
}

export type ItemAction = "accept" | "decline" | "cancel";

const STATUS_AFTER: Record<ItemAction, ItemStatus> = { accept: "accepted", decline: "declined", cancel: "cancelled" };

/** Which items the caller may act on: one outside the scope is "not found", so its existence is not revealed. */
export type ItemScope = { companyId?: string; userId?: string };

/**
 * Moves a pending item to its next state in one transaction, with the item row locked so that of concurrent
 * transitions exactly one finds it pending. Accepting also creates the membership and accepts the pending
 * counterpart of the same pair (docs/invitations-and-requests.md).
 */
export async function transitionItem(
  db: Database,
  kind: ItemKind,
  action: ItemAction,
  itemId: string,
  scope: ItemScope,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (action === "accept") {
      const target = await findItem(tx, kind, itemId, scope, false);
      if (target) await lockPair(tx, target.company_id, target.user_id);
    }
    const item = await findItem(tx, kind, itemId, scope, true);
    if (!item) throw new TRPCError({ code: "NOT_FOUND", message: kind.messages.notFound });
    // An expired invitation can still be withdrawn, never answered.
    if (item.expired && action !== "cancel") {
      throw new TRPCError({ code: "CONFLICT", message: kind.messages.expired ?? kind.messages.notPending });
    }
    if (item.status !== "pending" && !item.expired) {
      const message = action === "cancel" ? kind.messages.cancelNotPending : kind.messages.notPending;
      throw new TRPCError({ code: "CONFLICT", message });
    }
    await tx
      .update(kind.table)
      .set({ status: STATUS_AFTER[action], updated_at: sql`now()` })
      .where(eq(kind.table.id, itemId));
    if (action !== "accept") return;

    await onViolation(() => tx.insert(companyMembers).values({ company_id: item.company_id, user_id: item.user_id }), {
      company_members_user_company_key: conflict(ALREADY_MEMBER),
    });
    const other = kind.counterpart();
    await tx
      .update(other.table)
      .set({ status: "accepted", updated_at: sql`now()` })
      .where(
        and(
          eq(other.table.company_id, item.company_id),
          eq(other.userColumn, item.user_id),
          // An expired counterpart stays as it reads: expired.
          statusIs(other, "pending"),
        ),
      );
  });
}

async function findItem(db: Database, kind: ItemKind, itemId: string, scope: ItemScope, lock: boolean) {
  const query = db
    .select({
      company_id: kind.table.company_id,
      user_id: kind.userColumn,
      status: kind.table.status,
      expired: isExpired(kind),
    })
    .from(kind.table)
    .where(
      and(
        eq(kind.table.id, itemId),
        scope.companyId === undefined ? undefined : eq(kind.table.company_id, scope.companyId),
        scope.userId === undefined ? undefined : eq(kind.userColumn, scope.userId),
      ),
    );
  const [item] = await (lock ? query.for("update") : query);
  return item;
}

// Any fixed number; the two-key form of advisory locks never collides with the one-key form (migrations).
const PAIR_LOCK_NAMESPACE = 4_242;

/**
 * Accepts of one (company, user) pair queue on an advisory lock: an invitation and its counterpart request accepted
 * at once would otherwise lock each other's rows in opposite orders and deadlock. Then the company and the user are
 * locked against deletion before any child row, the order a cascading delete takes, so an accept racing a deletion
 * waits for it (and then finds nothing) instead of deadlocking on the membership's foreign keys.
 */
export async function lockPair(db: Database, companyId: string, userId: string): Promise<void> {
  const pair = `${companyId}:${userId}`;
  await db.execute(sql`select pg_advisory_xact_lock(${PAIR_LOCK_NAMESPACE}::int4, hashtext(${pair}::text))`);
  await db
    .select({ id: companies.id })
    .from(companies)
    .innerJoin(users, eq(users.id, userId))
    .where(eq(companies.id, companyId))
    .for("key share");
}

import { TRPCError } from "@trpc/server";
import { and, eq, gt, lte, type SQL, sql } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import type { Database } from "../../db/client.js";
import { companies, companyMembers, ownershipTransfers as transfers } from "../../db/schema.js";
import { conflict, firstRow, notFound, onViolation } from "../../errors.js";
import { cursorAt, fetchPage, inWindow, type PageRequest } from "../../pagination.js";
import { withIsoTimestamps } from "../../schemas.js";
import { requireOwner } from "../companies/access.js";
import { requireUser } from "../users/service.js";
import type { Transfer, TransferList } from "./schemas.js";

/*
 * Ownership transfer (docs/beyond-the-original.md#ownership-transfer): the owner offers the company to a member, who
 * accepts or declines; the owner may cancel. Accepting swaps the two in one transaction with the company row locked,
 * so the company has exactly one owner at every instant whatever races it.
 */

const NOT_PENDING = "Transfer is not pending";
const MUST_BE_MEMBER = "New owner must be a member";
const transferNotFound = () => new TRPCError({ code: "NOT_FOUND", message: "Transfer not found" });
const stateConflict = (message: string) => new TRPCError({ code: "CONFLICT", message });

/** Pending and past its expiry, or written `expired`: it reads as expired (no job rewrites it). */
const isExpired: SQL<boolean> = sql<boolean>`(${transfers.status} = 'expired' or (${transfers.status} = 'pending' and ${transfers.expires_at} <= now()))`;

const toTransfer = (row: typeof transfers.$inferSelect): Transfer => ({
  ...withIsoTimestamps(row),
  expires_at: row.expires_at.toISOString(),
});

const expiresIn = (hours: number) => sql<Date>`now() + make_interval(hours => ${hours}::int)`;

/** The owner offers the company to one of its members; one pending transfer per company. */
export async function offerTransfer(
  deps: Pick<AppDeps, "config" | "db">,
  ownerId: string,
  companyId: string,
  newOwnerId: string,
): Promise<Transfer> {
  await requireOwner(deps.db, companyId, ownerId);
  const target = await requireUser(deps.db, newOwnerId);
  const row = await deps.db.transaction(async (tx) => {
    if (!(await isMember(tx, companyId, target.id))) throw stateConflict(MUST_BE_MEMBER);
    // An expired pending transfer no longer holds the company's pending slot.
    await tx
      .update(transfers)
      .set({ status: "expired", updated_at: sql`now()` })
      .where(
        and(
          eq(transfers.company_id, companyId),
          eq(transfers.status, "pending"),
          lte(transfers.expires_at, sql`now()`),
        ),
      );
    const inserted = await onViolation(
      () =>
        tx
          .insert(transfers)
          .values({
            company_id: companyId,
            from_user_id: ownerId,
            to_user_id: target.id,
            expires_at: expiresIn(deps.config.transferTtlHours),
          })
          .returning(),
      {
        ownership_transfers_one_pending_key: conflict("A transfer is already pending"),
        ownership_transfers_company_id_companies_id_fk: notFound("Company not found"),
        ownership_transfers_to_user_id_users_id_fk: notFound("User not found"),
        ownership_transfers_from_user_id_users_id_fk: notFound("Company not found"),
      },
    );
    return firstRow(inserted);
  });
  return toTransfer(row);
}

/** The transfers waiting for the caller's answer: pending and not expired, newest first. */
export async function listMyTransfers(db: Database, callerId: string, page: PageRequest): Promise<TransferList> {
  const where = and(
    eq(transfers.to_user_id, callerId),
    eq(transfers.status, "pending"),
    gt(transfers.expires_at, sql`now()`),
  );
  const [{ rows, next_cursor }, total] = await Promise.all([
    fetchPage(page, `transfers:user:${callerId}`, (window) =>
      inWindow(
        db
          .select({ row: transfers, id: transfers.id, cursor_at: cursorAt(transfers.created_at) })
          .from(transfers)
          .$dynamic(),
        transfers,
        where,
        window,
      ),
    ),
    db.$count(transfers, where),
  ]);
  return { transfers: rows.map(({ row }) => toTransfer(row)), total, next_cursor };
}

/**
 * The target answers. Accept locks the company row first (the order a deletion of the company takes), then the
 * transfer: concurrent accepts, a cancel, a deletion or the target leaving all queue behind it, and each later one
 * finds the transfer settled, the company gone or the membership gone.
 */
export async function answerTransfer(
  db: Database,
  targetId: string,
  transferId: string,
  action: "accept" | "decline",
): Promise<void> {
  await db.transaction(async (tx) => {
    const mine = and(eq(transfers.id, transferId), eq(transfers.to_user_id, targetId));
    if (action === "accept") {
      const [found] = await tx.select({ companyId: transfers.company_id }).from(transfers).where(mine);
      if (found)
        await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, found.companyId)).for("update");
    }
    const [transfer] = await tx
      .select({ row: transfers, expired: isExpired })
      .from(transfers)
      .where(mine)
      .for("update");
    if (!transfer) throw transferNotFound();
    const { row } = transfer;
    if (row.status !== "pending" || transfer.expired) throw stateConflict(NOT_PENDING);
    if (action === "decline") {
      await settle(tx, transferId, "declined");
      return;
    }
    const [company] = await tx.select().from(companies).where(eq(companies.id, row.company_id));
    if (!company || company.owner_id !== row.from_user_id) throw stateConflict(NOT_PENDING);
    const left = await tx
      .delete(companyMembers)
      .where(and(eq(companyMembers.company_id, row.company_id), eq(companyMembers.user_id, targetId)))
      .returning({ id: companyMembers.id });
    if (left.length === 0) throw stateConflict(MUST_BE_MEMBER);
    await tx.update(companies).set({ owner_id: targetId, updated_at: sql`now()` }).where(eq(companies.id, company.id));
    // The former owner stays, as an admin.
    await tx.insert(companyMembers).values({ company_id: company.id, user_id: row.from_user_id, is_admin: true });
    await settle(tx, transferId, "accepted");
  });
}

/** The owner withdraws a pending (or expired) transfer of their company. */
export async function cancelTransfer(
  db: Database,
  ownerId: string,
  companyId: string,
  transferId: string,
): Promise<void> {
  await requireOwner(db, companyId, ownerId);
  await db.transaction(async (tx) => {
    const [transfer] = await tx
      .select({ status: transfers.status, expired: isExpired })
      .from(transfers)
      .where(and(eq(transfers.id, transferId), eq(transfers.company_id, companyId)))
      .for("update");
    if (!transfer) throw transferNotFound();
    if (transfer.status !== "pending" && !transfer.expired) throw stateConflict(NOT_PENDING);
    await settle(tx, transferId, "cancelled");
  });
}

/** In the transaction of a membership's removal: a pending transfer to that user is cancelled. */
export async function cancelTransfersTo(db: Database, companyId: string, userId: string): Promise<void> {
  await db
    .update(transfers)
    .set({ status: "cancelled", updated_at: sql`now()` })
    .where(and(eq(transfers.company_id, companyId), eq(transfers.to_user_id, userId), eq(transfers.status, "pending")));
}

async function settle(db: Database, transferId: string, status: "accepted" | "declined" | "cancelled") {
  await db.update(transfers).set({ status, updated_at: sql`now()` }).where(eq(transfers.id, transferId));
}

async function isMember(db: Database, companyId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: companyMembers.id })
    .from(companyMembers)
    .where(and(eq(companyMembers.company_id, companyId), eq(companyMembers.user_id, userId)));
  return row !== undefined;
}

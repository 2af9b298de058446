import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn, ExtraConfigColumn } from "drizzle-orm/pg-core";
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

const id = () => uuid("id").primaryKey().defaultRandom();
const timestamps = () => ({
  created_at: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updated_at: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** A required foreign key that goes with the row it points to. */
const cascadingTo = (target: () => AnyPgColumn) => (name: string) =>
  uuid(name).notNull().references(target, { onDelete: "cascade" });
const userId = cascadingTo(() => users.id);
const companyId = cascadingTo(() => companies.id);
const quizId = cascadingTo(() => quizzes.id);
const questionId = cascadingTo(() => questions.id);

/** The columns of a `created_at desc, id desc` list, the order of every list. */
const newestFirst = (t: { created_at: ExtraConfigColumn; id: ExtraConfigColumn }) =>
  [t.created_at.desc().nullsFirst(), t.id.desc().nullsFirst()] as const;

export const itemStatuses = ["pending", "accepted", "declined", "cancelled"] as const;
export type ItemStatus = (typeof itemStatuses)[number];
const statusCheck = (status: AnyPgColumn): SQL => sql`${status} in ('pending', 'accepted', 'declined', 'cancelled')`;
/** Invitations also expire: `expired` is written when a new invitation of the pair settles an expired pending one. */
export const invitationStatuses = [...itemStatuses, "expired"] as const;
export type InvitationStatus = (typeof invitationStatuses)[number];
const invitationStatusCheck = (status: AnyPgColumn): SQL =>
  sql`${status} in ('pending', 'accepted', 'declined', 'cancelled', 'expired')`;

export const users = pgTable(
  "users",
  {
    id: id(),
    email: varchar("email", { length: 255 }).notNull(),
    username: varchar("username", { length: 100 }).notNull(),
    hashed_password: varchar("hashed_password", { length: 255 }).notNull(),
    is_active: boolean("is_active").notNull().default(true),
    is_superuser: boolean("is_superuser").notNull().default(false),
    first_name: varchar("first_name", { length: 100 }),
    last_name: varchar("last_name", { length: 100 }),
    bio: text("bio"),
    avatar_url: varchar("avatar_url", { length: 500 }),
    phone: varchar("phone", { length: 20 }),
    /** Access tokens issued before this instant are refused (logout-all, password change, deactivation). */
    tokens_valid_after: timestamp("tokens_valid_after", { withTimezone: true, mode: "date" }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    uniqueIndex("users_username_key").on(t.username),
    index("users_created_at_id_idx").on(...newestFirst(t)),
  ],
);

export const companies = pgTable(
  "companies",
  {
    id: id(),
    name: varchar("name", { length: 255 }).notNull(),
    description: text("description"),
    is_visible: boolean("is_visible").notNull().default(true),
    owner_id: userId("owner_id"),
    ...timestamps(),
  },
  (t) => [
    index("companies_owner_id_idx").on(t.owner_id),
    index("companies_visible_created_at_id_idx")
      .on(...newestFirst(t))
      .where(sql`${t.is_visible}`),
  ],
);

export const companyMembers = pgTable(
  "company_members",
  {
    id: id(),
    user_id: userId("user_id"),
    company_id: companyId("company_id"),
    is_admin: boolean("is_admin").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("company_members_user_company_key").on(t.user_id, t.company_id),
    index("company_members_company_created_at_id_idx").on(t.company_id, ...newestFirst(t)),
    index("company_members_company_admins_idx")
      .on(t.company_id, ...newestFirst(t))
      .where(sql`${t.is_admin}`),
  ],
);

export const companyInvitations = pgTable(
  "company_invitations",
  {
    id: id(),
    company_id: companyId("company_id"),
    invited_user_id: userId("invited_user_id"),
    invited_by_id: userId("invited_by_id"),
    status: varchar("status", { length: 16, enum: invitationStatuses }).notNull().default("pending"),
    /**
     * A pending invitation past it reads as expired (docs/beyond-the-original.md#invitation-expiry-and-resend). The
     * service sets it from INVITATION_TTL_HOURS; the default (that setting's) keeps rows written without it valid.
     */
    expires_at: timestamp("expires_at", { withTimezone: true, mode: "date" })
      .notNull()
      .default(sql`now() + interval '168 hours'`),
    ...timestamps(),
  },
  (t) => [
    check("company_invitations_status_check", invitationStatusCheck(t.status)),
    uniqueIndex("company_invitations_one_pending_key")
      .on(t.company_id, t.invited_user_id)
      .where(sql`${t.status} = 'pending'`),
    index("company_invitations_company_created_at_id_idx").on(t.company_id, ...newestFirst(t)),
    index("company_invitations_invitee_status_idx").on(t.invited_user_id, t.status, ...newestFirst(t)),
    index("company_invitations_invited_by_idx").on(t.invited_by_id),
  ],
);

export const companyRequests = pgTable(
  "company_requests",
  {
    id: id(),
    company_id: companyId("company_id"),
    user_id: userId("user_id"),
    status: varchar("status", { length: 16, enum: itemStatuses }).notNull().default("pending"),
    ...timestamps(),
  },
  (t) => [
    check("company_requests_status_check", statusCheck(t.status)),
    uniqueIndex("company_requests_one_pending_key").on(t.company_id, t.user_id).where(sql`${t.status} = 'pending'`),
    index("company_requests_company_status_idx").on(t.company_id, t.status, ...newestFirst(t)),
    index("company_requests_user_created_at_id_idx").on(t.user_id, ...newestFirst(t)),
  ],
);

export const transferStatuses = invitationStatuses;
export type TransferStatus = (typeof transferStatuses)[number];

/** An offer of a company's ownership to one of its members (docs/beyond-the-original.md#ownership-transfer). */
export const ownershipTransfers = pgTable(
  "ownership_transfers",
  {
    id: id(),
    company_id: companyId("company_id"),
    from_user_id: userId("from_user_id"),
    to_user_id: userId("to_user_id"),
    status: varchar("status", { length: 16, enum: transferStatuses }).notNull().default("pending"),
    expires_at: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    ...timestamps(),
  },
  (t) => [
    check("ownership_transfers_status_check", invitationStatusCheck(t.status)),
    uniqueIndex("ownership_transfers_one_pending_key").on(t.company_id).where(sql`${t.status} = 'pending'`),
    index("ownership_transfers_target_status_idx").on(t.to_user_id, t.status, ...newestFirst(t)),
    index("ownership_transfers_from_user_idx").on(t.from_user_id),
  ],
);

export const quizzes = pgTable(
  "quizzes",
  {
    id: id(),
    company_id: companyId("company_id"),
    title: varchar("title", { length: 255 }).notNull(),
    description: text("description"),
    frequency: integer("frequency").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    check("quizzes_frequency_check", sql`${t.frequency} >= 0`),
    index("quizzes_company_created_at_id_idx").on(t.company_id, ...newestFirst(t)),
    index("quizzes_company_title_idx").on(t.company_id, t.title, t.created_at),
  ],
);

/** A position among siblings (`order`, a reserved word: drizzle quotes it): never negative, unique per parent. */
const position = () => integer("order").notNull();
const positionRules = (table: string, uniqueKey: string, parent: ExtraConfigColumn, order: ExtraConfigColumn) => [
  check(`${table}_order_check`, sql`${order} >= 0`),
  uniqueIndex(uniqueKey).on(parent, order),
];

export const questions = pgTable(
  "questions",
  {
    id: id(),
    quiz_id: quizId("quiz_id"),
    title: text("title").notNull(),
    order: position(),
    ...timestamps(),
  },
  (t) => positionRules("questions", "questions_quiz_order_key", t.quiz_id, t.order),
);

export const answers = pgTable(
  "answers",
  {
    id: id(),
    question_id: questionId("question_id"),
    text: text("text").notNull(),
    is_correct: boolean("is_correct").notNull().default(false),
    order: position(),
    ...timestamps(),
  },
  (t) => positionRules("answers", "answers_question_order_key", t.question_id, t.order),
);

export const quizAttempts = pgTable(
  "quiz_attempts",
  {
    id: id(),
    user_id: userId("user_id"),
    quiz_id: quizId("quiz_id"),
    company_id: companyId("company_id"),
    score: integer("score").notNull(),
    total_questions: integer("total_questions").notNull(),
    ...timestamps(),
  },
  (t) => [
    check("quiz_attempts_total_check", sql`${t.total_questions} > 0`),
    check("quiz_attempts_score_check", sql`${t.score} >= 0 and ${t.score} <= ${t.total_questions}`),
    index("quiz_attempts_user_created_at_idx").on(t.user_id, t.created_at.desc().nullsFirst()),
    index("quiz_attempts_company_created_at_idx").on(t.company_id, t.created_at),
    index("quiz_attempts_quiz_user_created_at_idx").on(t.quiz_id, t.user_id, t.created_at.desc().nullsFirst()),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: id(),
    user_id: userId("user_id"),
    message: varchar("message", { length: 500 }).notNull(),
    notification_type: varchar("notification_type", { length: 50 }).notNull(),
    is_read: boolean("is_read").notNull().default(false),
    read_at: timestamp("read_at", { withTimezone: true, mode: "date" }),
    related_entity_id: uuid("related_entity_id"),
    ...timestamps(),
  },
  (t) => [
    index("notifications_user_created_at_id_idx").on(t.user_id, ...newestFirst(t)),
    index("notifications_user_unread_idx").on(t.user_id).where(sql`not ${t.is_read}`),
    index("notifications_reminder_dedup_idx").on(
      t.user_id,
      t.notification_type,
      t.related_entity_id,
      t.created_at.desc().nullsFirst(),
    ),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type CompanyRow = typeof companies.$inferSelect;

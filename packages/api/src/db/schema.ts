import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
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

export const itemStatuses = ["pending", "accepted", "declined", "cancelled"] as const;
export type ItemStatus = (typeof itemStatuses)[number];
const statusCheck = (status: AnyPgColumn): SQL => sql`${status} in ('pending', 'accepted', 'declined', 'cancelled')`;

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
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    uniqueIndex("users_username_key").on(t.username),
    index("users_created_at_id_idx").on(t.created_at.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

export const companies = pgTable(
  "companies",
  {
    id: id(),
    name: varchar("name", { length: 255 }).notNull(),
    description: text("description"),
    is_visible: boolean("is_visible").notNull().default(true),
    owner_id: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ...timestamps(),
  },
  (t) => [
    index("companies_owner_id_idx").on(t.owner_id),
    index("companies_visible_created_at_id_idx")
      .on(t.created_at.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.is_visible}`),
  ],
);

export const companyMembers = pgTable(
  "company_members",
  {
    id: id(),
    user_id: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    company_id: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    is_admin: boolean("is_admin").notNull().default(false),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("company_members_user_company_key").on(t.user_id, t.company_id),
    index("company_members_company_created_at_id_idx").on(
      t.company_id,
      t.created_at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("company_members_company_admins_idx")
      .on(t.company_id, t.created_at.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.is_admin}`),
  ],
);

export const companyInvitations = pgTable(
  "company_invitations",
  {
    id: id(),
    company_id: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    invited_user_id: uuid("invited_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    invited_by_id: uuid("invited_by_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: varchar("status", { length: 16, enum: itemStatuses }).notNull().default("pending"),
    ...timestamps(),
  },
  (t) => [
    check("company_invitations_status_check", statusCheck(t.status)),
    uniqueIndex("company_invitations_one_pending_key")
      .on(t.company_id, t.invited_user_id)
      .where(sql`${t.status} = 'pending'`),
    index("company_invitations_company_created_at_id_idx").on(
      t.company_id,
      t.created_at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("company_invitations_invitee_status_idx").on(
      t.invited_user_id,
      t.status,
      t.created_at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("company_invitations_invited_by_idx").on(t.invited_by_id),
  ],
);

export const companyRequests = pgTable(
  "company_requests",
  {
    id: id(),
    company_id: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    user_id: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: varchar("status", { length: 16, enum: itemStatuses }).notNull().default("pending"),
    ...timestamps(),
  },
  (t) => [
    check("company_requests_status_check", statusCheck(t.status)),
    uniqueIndex("company_requests_one_pending_key").on(t.company_id, t.user_id).where(sql`${t.status} = 'pending'`),
    index("company_requests_company_status_idx").on(
      t.company_id,
      t.status,
      t.created_at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("company_requests_user_created_at_id_idx").on(
      t.user_id,
      t.created_at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
  ],
);

export const quizzes = pgTable(
  "quizzes",
  {
    id: id(),
    company_id: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
    title: varchar("title", { length: 255 }).notNull(),
    description: text("description"),
    frequency: integer("frequency").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    check("quizzes_frequency_check", sql`${t.frequency} >= 0`),
    index("quizzes_company_created_at_id_idx").on(
      t.company_id,
      t.created_at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("quizzes_company_title_idx").on(t.company_id, t.title, t.created_at),
  ],
);

export const questions = pgTable(
  "questions",
  {
    id: id(),
    quiz_id: uuid("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    order: integer("order").notNull(),
    ...timestamps(),
  },
  (t) => [
    check("questions_order_check", sql`${t.order} >= 0`),
    uniqueIndex("questions_quiz_order_key").on(t.quiz_id, t.order),
  ],
);

export const answers = pgTable(
  "answers",
  {
    id: id(),
    question_id: uuid("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    is_correct: boolean("is_correct").notNull().default(false),
    order: integer("order").notNull(),
    ...timestamps(),
  },
  (t) => [
    check("answers_order_check", sql`${t.order} >= 0`),
    uniqueIndex("answers_question_order_key").on(t.question_id, t.order),
  ],
);

export const quizAttempts = pgTable(
  "quiz_attempts",
  {
    id: id(),
    user_id: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    quiz_id: uuid("quiz_id")
      .notNull()
      .references(() => quizzes.id, { onDelete: "cascade" }),
    company_id: uuid("company_id")
      .notNull()
      .references(() => companies.id, { onDelete: "cascade" }),
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
    user_id: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: varchar("message", { length: 500 }).notNull(),
    notification_type: varchar("notification_type", { length: 50 }).notNull(),
    is_read: boolean("is_read").notNull().default(false),
    read_at: timestamp("read_at", { withTimezone: true, mode: "date" }),
    related_entity_id: uuid("related_entity_id"),
    ...timestamps(),
  },
  (t) => [
    index("notifications_user_created_at_id_idx").on(
      t.user_id,
      t.created_at.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
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

import { z } from "zod";
import { passwordFitsBcrypt } from "../../credentials/passwords.js";
import { pageInput, pageOf } from "../../pagination.js";
import { jsonBoolean, pathId, rowTimestamps, text } from "../../schemas.js";

// One "@", a local part and a dotted domain, none of them holding spaces, control characters or the angle brackets
// of a display-name form ("Name <a@b.c>").
const EMAIL = /^[^\s@<>\u0000-\u001f\u007f]+@[^\s@<>.\u0000-\u001f\u007f]+(\.[^\s@<>.\u0000-\u001f\u007f]+)+$/;
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Length as PostgreSQL's varchar counts it (code points), not in UTF-16 units: "😀" is one character. */
const characterCount = (value: string): number => [...value].length;

/** A string whose length in characters lies in [min, max]; the bounds are documented like .min()/.max() would be. */
const lengthBetween = (schema: z.ZodString, min: number, max: number) =>
  schema
    .refine(
      (value) => {
        const length = characterCount(value);
        return length >= min && length <= max;
      },
      min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`,
    )
    .meta({ ...(min > 0 && { minLength: min }), maxLength: max });

/** Trimmed, then lower-cased, so addresses are unique case-insensitively. */
export const email = () =>
  lengthBetween(text().trim().toLowerCase(), 1, 255)
    .regex(EMAIL, "must be a valid email address")
    .meta({ format: "email", example: "jane@example.com" });

/** Trimmed; 3…100 characters; any Unicode but control characters. */
export const username = () =>
  lengthBetween(text().trim(), 3, 100)
    .refine((value) => !CONTROL_CHARACTER.test(value), "must not contain control characters")
    .meta({ example: "jane_doe" });

/** Not trimmed; 8…100 characters and at most 72 bytes in UTF-8, all that bcrypt reads
 * (docs/differences.md#passwords-up-to-72-bytes). */
export const password = () =>
  lengthBetween(text(), 8, 100)
    .refine(passwordFitsBcrypt, "must be at most 72 bytes in UTF-8")
    .meta({ format: "password", example: "correct horse battery" });

/** A non-nullable field of a partial update: absent or null leaves it unchanged
 * (docs/differences.md#null-in-partial-updates). */
const unchangedWhenNull = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

const isHttpUrl = (value: string): boolean => /^https?:\/\//i.test(value) && URL.canParse(value);

type Rule = { check: (value: string) => boolean; message: string };

/** A profile field: trimmed; "" or null clears it; absent leaves it unchanged. */
const profileField = (maxLength: number, rule?: Rule) => {
  const trimmed = lengthBetween(text().trim(), 0, maxLength);
  const checked = rule ? trimmed.refine((value) => value === "" || rule.check(value), rule.message) : trimmed;
  return checked
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();
};

const profileFields = {
  first_name: profileField(100),
  last_name: profileField(100),
  bio: profileField(5000),
  // Only http(s): a javascript: URL would be stored and served to every client.
  avatar_url: profileField(500, { check: isHttpUrl, message: "must be an absolute http(s) URL" }),
  phone: profileField(20),
};

export const createUserInput = z.object({ email: email(), username: username(), password: password() });

export const listUsersInput = pageInput({});

export const userIdInput = z.object({ user_id: pathId("User not found") });

export const userCompaniesInput = pageInput({ user_id: pathId("User not found") });

/** `email`, `is_active` and `is_superuser` in this body are ignored like any unknown field. */
export const updateMeInput = z.object({
  username: unchangedWhenNull(username()),
  password: unchangedWhenNull(password()),
  ...profileFields,
});

/**
 * The target of a superuser's route: any string, since the superuser check comes before anything about the target
 * (the service answers 404 for a malformed id only after it).
 */
const targetUserId = () => text().meta({ format: "uuid" });

export const targetUserInput = z.object({ user_id: targetUserId() });

/** `is_superuser` is ignored: no endpoint grants it. */
export const updateUserInput = z.object({
  user_id: targetUserId(),
  email: unchangedWhenNull(email()),
  username: unchangedWhenNull(username()),
  password: unchangedWhenNull(password()),
  is_active: unchangedWhenNull(jsonBoolean()),
});

export const userSchema = z
  .object({ id: z.uuid(), email: z.string(), username: z.string(), is_active: z.boolean() })
  .meta({ id: "User" });

export const userDetailSchema = userSchema
  .extend({
    is_superuser: z.boolean(),
    ...rowTimestamps(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    bio: z.string().nullable(),
    avatar_url: z.string().nullable(),
    phone: z.string().nullable().meta({ description: "Shown only to the user themselves and to superusers" }),
  })
  .meta({ id: "UserDetail" });

export const userListSchema = pageOf("users", userSchema).meta({ id: "UserList" });

export type CreateUserInput = z.output<typeof createUserInput>;
export type UpdateMeInput = z.output<typeof updateMeInput>;
export type UpdateUserInput = z.output<typeof updateUserInput>;
export type User = z.output<typeof userSchema>;
export type UserDetail = z.output<typeof userDetailSchema>;
export type UserList = z.output<typeof userListSchema>;

import { z } from "zod";
import { pathId, text, timestamp } from "../../schemas.js";
import { email } from "../users/schemas.js";

/** Any non-empty password: a wrong one is a 401 (and counts as a failure), never a 422 that would escape throttling. */
export const loginInput = z.object({ email: email(), password: text().min(1) });

export const refreshInput = z.object({ refresh_token: text() });

/** Without a refresh token every refresh token of the caller is revoked. The body itself may be left out. */
export const logoutInput = z.object({ refresh_token: text().optional() }).optional();

export const tokenPairSchema = z
  .object({ access_token: z.string(), refresh_token: z.string(), token_type: z.literal("bearer") })
  .meta({ id: "TokenPair" });

export type LoginInput = z.output<typeof loginInput>;
export type TokenPair = z.output<typeof tokenPairSchema>;

export const sessionSchema = z
  .object({
    id: z.uuid(),
    created_at: timestamp(),
    last_used_at: timestamp(),
    user_agent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean().meta({ description: "The session of the refresh token sent in `X-Refresh-Token`" }),
  })
  .meta({ id: "Session" });

export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) }).meta({ id: "SessionList" });
export type SessionList = z.output<typeof sessionListSchema>;

export const revokeSessionInput = z.object({ session_id: pathId("Session not found") });

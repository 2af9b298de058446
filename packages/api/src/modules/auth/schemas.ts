import { z } from "zod";
import { text } from "../../schemas.js";
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

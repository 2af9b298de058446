import { z } from "zod";
import { authedProcedure, publicProcedure, restRoutes, router } from "../../trpc.js";
import { userDetailSchema } from "../users/schemas.js";
import { toUserDetail } from "../users/service.js";
import {
  loginInput,
  logoutInput,
  refreshInput,
  revokeSessionInput,
  sessionListSchema,
  tokenPairSchema,
} from "./schemas.js";
import * as auth from "./service.js";

const route = restRoutes("auth");

export const authRouter = router({
  login: publicProcedure
    .meta(route("POST /auth/login", "Log in with email and password", { errors: [401, 403, 429] }))
    .input(loginInput)
    .output(tokenPairSchema)
    .mutation(({ ctx, input }) => auth.login(ctx, input, ctx.clientAddress)),

  refresh: publicProcedure
    .meta(
      route("POST /auth/refresh", "Exchange a refresh token for a new pair (the token is spent)", {
        errors: [401, 403],
      }),
    )
    .input(refreshInput)
    .output(tokenPairSchema)
    .mutation(({ ctx, input }) => auth.refresh(ctx, input.refresh_token)),

  logout: authedProcedure
    .meta(route("POST /auth/logout", "Revoke a refresh token's family, or all of them", { status: 204 }))
    .input(logoutInput)
    .output(z.void())
    .mutation(({ ctx, input }) => auth.logout(ctx, ctx.user, input?.refresh_token)),

  logoutAll: authedProcedure
    .meta(
      route("POST /auth/logout-all", "End every session and stop every access token issued so far", { status: 204 }),
    )
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => auth.logoutAll(ctx, ctx.user)),

  sessions: router({
    list: authedProcedure
      .meta(
        route("GET /auth/sessions", "List my sessions", {
          description: "Send a refresh token in `X-Refresh-Token` to have its session marked `current`.",
        }),
      )
      .input(z.void())
      .output(sessionListSchema)
      .query(({ ctx }) => auth.sessionsOf(ctx, ctx.user, ctx.refreshToken)),

    revoke: authedProcedure
      .meta(route("DELETE /auth/sessions/{session_id}", "End one of my sessions", { status: 204, errors: [404] }))
      .input(revokeSessionInput)
      .output(z.void())
      .mutation(({ ctx, input }) => auth.revokeSession(ctx, ctx.user, input.session_id)),
  }),

  me: authedProcedure
    .meta(route("GET /auth/me", "The caller's account (our token or an Auth0 token)"))
    .input(z.void())
    .output(userDetailSchema)
    .query(({ ctx }) => toUserDetail(ctx.user, ctx.user)),
});

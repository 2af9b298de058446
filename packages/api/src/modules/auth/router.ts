import { z } from "zod";
import { authedProcedure, publicProcedure, router } from "../../trpc.js";
import { userDetailSchema } from "../users/schemas.js";
import { toUserDetail } from "../users/service.js";
import { loginInput, logoutInput, refreshInput, tokenPairSchema } from "./schemas.js";
import * as auth from "./service.js";

const tags = ["auth"];

export const authRouter = router({
  login: publicProcedure
    .meta({
      openapi: { method: "POST", path: "/auth/login", protect: false, tags, summary: "Log in with email and password" },
      errorStatuses: [401, 403, 429],
    })
    .input(loginInput)
    .output(tokenPairSchema)
    .mutation(({ ctx, input }) => auth.login(ctx, input, ctx.clientAddress)),

  refresh: publicProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/refresh",
        protect: false,
        tags,
        summary: "Exchange a refresh token for a new pair (the token is spent)",
      },
      errorStatuses: [401, 403],
    })
    .input(refreshInput)
    .output(tokenPairSchema)
    .mutation(({ ctx, input }) => auth.refresh(ctx, input.refresh_token)),

  logout: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/auth/logout",
        tags,
        summary: "Revoke a refresh token's family, or all of them",
      },
      successStatus: 204,
    })
    .input(logoutInput)
    .output(z.void())
    .mutation(({ ctx, input }) => auth.logout(ctx, ctx.user, input?.refresh_token)),

  me: authedProcedure
    .meta({
      openapi: { method: "GET", path: "/auth/me", tags, summary: "The caller's account (our token or an Auth0 token)" },
    })
    .input(z.void())
    .output(userDetailSchema)
    .query(({ ctx }) => toUserDetail(ctx.user, ctx.user)),
});

import { z } from "zod";
import { authedProcedure, optionalAuthProcedure, publicProcedure, restRoutes, router } from "../../trpc.js";
import { userStatsProcedure } from "../attempts/router.js";
import { companyListSchema } from "../companies/schemas.js";
import { listUserCompanies } from "../companies/user-companies.js";
import * as schemas from "./schemas.js";
import * as users from "./service.js";

const route = restRoutes("users");

export const usersRouter = router({
  create: publicProcedure
    .meta(route("POST /users/", "Sign up", { status: 201, errors: [409] }))
    .input(schemas.createUserInput)
    .output(schemas.userDetailSchema)
    .mutation(({ ctx, input }) => users.createUser(ctx, input)),

  list: authedProcedure
    .meta(route("GET /users/", "List users, newest first"))
    .input(schemas.listUsersInput)
    .output(schemas.userListSchema)
    .query(({ ctx, input }) => users.listUsers(ctx, input)),

  me: authedProcedure
    .meta(route("GET /users/me", "The caller's account"))
    .input(z.void())
    .output(schemas.userDetailSchema)
    .query(({ ctx }) => users.toUserDetail(ctx.user, ctx.user)),

  updateMe: authedProcedure
    .meta(route("PUT /users/me", "Update the caller's account and profile", { errors: [409] }))
    .input(schemas.updateMeInput)
    .output(schemas.userDetailSchema)
    .mutation(({ ctx, input }) => users.updateMe(ctx, ctx.user, input)),

  meQuizStats: userStatsProcedure,

  deleteMe: authedProcedure
    .meta(route("DELETE /users/me", "Delete the caller's account", { status: 204 }))
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => users.deleteMe(ctx, ctx.user)),

  byId: authedProcedure
    .meta(route("GET /users/{user_id}", "A user by id", { errors: [404] }))
    .input(schemas.userIdInput)
    .output(schemas.userDetailSchema)
    .query(({ ctx, input }) => users.getUser(ctx, ctx.user, input.user_id)),

  companies: optionalAuthProcedure
    .meta(
      route("GET /users/{user_id}/companies", "The companies a user owns or belongs to", {
        errors: [404],
        description: "Hidden companies are listed only to the user themselves.",
      }),
    )
    .input(schemas.userCompaniesInput)
    .output(companyListSchema)
    .query(({ ctx, input }) => listUserCompanies(ctx.db, ctx.user?.id ?? null, input.user_id, input)),

  update: authedProcedure
    .meta(route("PUT /users/{user_id}", "Update a user (superusers only)", { errors: [404, 409] }))
    .input(schemas.updateUserInput)
    .output(schemas.userDetailSchema)
    .mutation(({ ctx, input }) => users.updateUser(ctx, ctx.user, input)),

  delete: authedProcedure
    .meta(route("DELETE /users/{user_id}", "Delete a user (superusers only)", { status: 204, errors: [404] }))
    .input(schemas.targetUserInput)
    .output(z.void())
    .mutation(({ ctx, input }) => users.deleteUser(ctx, ctx.user, input.user_id)),
});

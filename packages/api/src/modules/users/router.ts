import type { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, publicProcedure, router } from "../../trpc.js";
import {
  createUserInput,
  listUsersInput,
  updateMeInput,
  updateUserInput,
  userDetailSchema,
  userIdInput,
  userListSchema,
} from "./schemas.js";
import * as users from "./service.js";

const tags = ["users"];

/**
 * PUT/DELETE /users/{user_id}: the superuser check comes before anything about the target (D15). A malformed id
 * would otherwise answer the 404 of an unknown one to a caller who must get the 403 first.
 */
const managesUsersProcedure = authedProcedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok && onlyTheTargetIdIsInvalid(result.error)) users.assertManagesUsers(ctx.user);
  return result;
});

function onlyTheTargetIdIsInvalid(error: TRPCError): boolean {
  const issues = error.code === "BAD_REQUEST" && error.cause instanceof z.ZodError ? error.cause.issues : [];
  return issues.length > 0 && issues.every((issue) => issue.path[0] === "user_id");
}

export const usersRouter = router({
  create: publicProcedure
    .meta({
      openapi: { method: "POST", path: "/users", protect: false, tags, summary: "Sign up" },
      successStatus: 201,
      errorStatuses: [409],
    })
    .input(createUserInput)
    .output(userDetailSchema)
    .mutation(({ ctx, input }) => users.createUser(ctx, input)),

  list: authedProcedure
    .meta({ openapi: { method: "GET", path: "/users", tags, summary: "List users, newest first" } })
    .input(listUsersInput)
    .output(userListSchema)
    .query(({ ctx, input }) => users.listUsers(ctx, input)),

  me: authedProcedure
    .meta({ openapi: { method: "GET", path: "/users/me", tags, summary: "The caller's account" } })
    .input(z.void())
    .output(userDetailSchema)
    .query(({ ctx }) => users.toUserDetail(ctx.user, ctx.user)),

  updateMe: authedProcedure
    .meta({
      openapi: { method: "PUT", path: "/users/me", tags, summary: "Update the caller's account and profile" },
      errorStatuses: [409],
    })
    .input(updateMeInput)
    .output(userDetailSchema)
    .mutation(({ ctx, input }) => users.updateMe(ctx, ctx.user, input)),

  deleteMe: authedProcedure
    .meta({
      openapi: { method: "DELETE", path: "/users/me", tags, summary: "Delete the caller's account" },
      successStatus: 204,
    })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => users.deleteMe(ctx, ctx.user)),

  byId: authedProcedure
    .meta({ openapi: { method: "GET", path: "/users/{user_id}", tags, summary: "A user by id" } })
    .input(userIdInput)
    .output(userDetailSchema)
    .query(({ ctx, input }) => users.getUser(ctx, ctx.user, input.user_id)),

  update: managesUsersProcedure
    .meta({
      openapi: { method: "PUT", path: "/users/{user_id}", tags, summary: "Update a user (superusers only)" },
      errorStatuses: [409],
    })
    .input(updateUserInput)
    .output(userDetailSchema)
    .mutation(({ ctx, input }) => users.updateUser(ctx, ctx.user, input)),

  delete: managesUsersProcedure
    .meta({
      openapi: { method: "DELETE", path: "/users/{user_id}", tags, summary: "Delete a user (superusers only)" },
      successStatus: 204,
    })
    .input(userIdInput)
    .output(z.void())
    .mutation(({ ctx, input }) => users.deleteUser(ctx, ctx.user, input.user_id)),
});

import { z } from "zod";
import { authedProcedure, optionalAuthProcedure, publicProcedure, restRoutes, router } from "../../trpc.js";
import { companyStatsProcedure } from "../attempts/router.js";
import { invitationsRouter } from "../invitations/router.js";
import { adminsRouter, membersRouter } from "../members/router.js";
import { quizzesRouter } from "../quizzes/router.js";
import { requestsRouter } from "../requests/router.js";
import { transfersRouter } from "../transfers/router.js";
import { listCompanies } from "./directory.js";
import * as schemas from "./schemas.js";
import { createCompany, deleteCompany, getCompany, updateCompany } from "./service.js";

const route = restRoutes("companies");

export const companiesRouter = router({
  create: authedProcedure
    .meta(route("POST /companies/", "Create a company (the caller owns it)", { status: 201 }))
    .input(schemas.createCompanyInput)
    .output(schemas.companyDetailSchema)
    .mutation(({ ctx, input }) => createCompany(ctx.db, ctx.user.id, input)),

  list: publicProcedure
    .meta(route("GET /companies/", "List visible companies"))
    .input(schemas.listCompaniesInput)
    .output(schemas.companyListSchema)
    .query(({ ctx, input }) => listCompanies(ctx.db, input)),

  byId: optionalAuthProcedure
    .meta(route("GET /companies/{company_id}", "Get a company", { errors: [404] }))
    .input(schemas.companyByIdInput)
    .output(schemas.companyDetailSchema)
    .query(({ ctx, input }) => getCompany(ctx.db, input.company_id, ctx.user?.id ?? null)),

  update: authedProcedure
    .meta(route("PUT /companies/{company_id}", "Update a company (owner)", { errors: [404] }))
    .input(schemas.updateCompanyInput)
    .output(schemas.companyDetailSchema)
    .mutation(({ ctx, input: { company_id, ...patch } }) => updateCompany(ctx.db, ctx.user.id, company_id, patch)),

  delete: authedProcedure
    .meta(route("DELETE /companies/{company_id}", "Delete a company (owner)", { status: 204, errors: [404] }))
    .input(schemas.companyByIdInput)
    .output(z.void())
    .mutation(({ ctx, input }) => deleteCompany(ctx.db, ctx.user.id, input.company_id)),

  invitations: invitationsRouter,
  requests: requestsRouter,
  members: membersRouter,
  admins: adminsRouter,
  quizzes: quizzesRouter,
  myStats: companyStatsProcedure,
  transfers: transfersRouter,
});

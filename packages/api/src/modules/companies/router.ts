import { z } from "zod";
import { authedProcedure, optionalAuthProcedure, publicProcedure, router } from "../../trpc.js";
import { invitationsRouter } from "../invitations/router.js";
import { membersRouter } from "../members/router.js";
import { requestsRouter } from "../requests/router.js";
import {
  companyByIdInput,
  companyDetailSchema,
  companyListSchema,
  createCompanyInput,
  listCompaniesInput,
  updateCompanyInput,
} from "./schemas.js";
import { createCompany, deleteCompany, getCompany, listCompanies, updateCompany } from "./service.js";

const tags = ["companies"];

export const companiesRouter = router({
  create: authedProcedure
    .meta({
      openapi: { method: "POST", path: "/companies", tags, summary: "Create a company (the caller owns it)" },
      successStatus: 201,
    })
    .input(createCompanyInput)
    .output(companyDetailSchema)
    .mutation(({ ctx, input }) => createCompany(ctx.db, ctx.user.id, input)),

  list: publicProcedure
    .meta({ openapi: { method: "GET", path: "/companies", protect: false, tags, summary: "List visible companies" } })
    .input(listCompaniesInput)
    .output(companyListSchema)
    .query(({ ctx, input }) => listCompanies(ctx.db, input)),

  byId: optionalAuthProcedure
    .meta({
      openapi: { method: "GET", path: "/companies/{company_id}", protect: false, tags, summary: "Get a company" },
      authOptional: true,
      errorStatuses: [404],
    })
    .input(companyByIdInput)
    .output(companyDetailSchema)
    .query(({ ctx, input }) => getCompany(ctx.db, input.company_id, ctx.user?.id ?? null)),

  update: authedProcedure
    .meta({
      openapi: { method: "PUT", path: "/companies/{company_id}", tags, summary: "Update a company (owner)" },
      errorStatuses: [404],
    })
    .input(updateCompanyInput)
    .output(companyDetailSchema)
    .mutation(({ ctx, input: { company_id, ...patch } }) => updateCompany(ctx.db, ctx.user.id, company_id, patch)),

  delete: authedProcedure
    .meta({
      openapi: { method: "DELETE", path: "/companies/{company_id}", tags, summary: "Delete a company (owner)" },
      successStatus: 204,
      errorStatuses: [404],
    })
    .input(companyByIdInput)
    .output(z.void())
    .mutation(({ ctx, input }) => deleteCompany(ctx.db, ctx.user.id, input.company_id)),

  invitations: invitationsRouter,
  requests: requestsRouter,
  members: membersRouter,
});

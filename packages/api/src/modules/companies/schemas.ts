import { z } from "zod";
import { jsonBoolean, pagination, pathId, text, timestamp } from "../../schemas.js";

/** The `{company_id}` path parameter of every company route. */
export const companyIdParam = () => pathId("Company not found");

const name = () => text().trim().min(1).max(255);
// D27: the original's column was unbounded.
const description = () => text().max(5000);

export const companySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    is_visible: z.boolean(),
    owner_id: z.uuid(),
  })
  .meta({ id: "Company" });
export type Company = z.infer<typeof companySchema>;

export const companyDetailSchema = companySchema
  .extend({ created_at: timestamp(), updated_at: timestamp() })
  .meta({ id: "CompanyDetail" });
export type CompanyDetail = z.infer<typeof companyDetailSchema>;

export const companyListSchema = z
  .object({ companies: z.array(companySchema), total: z.number().int() })
  .meta({ id: "CompanyList" });
export type CompanyList = z.infer<typeof companyListSchema>;

// `is_visible` and `owner_id` are not fields of the input: a body carrying them changes nothing (D7).
export const createCompanyInput = z.object({ name: name(), description: description().nullable().optional() });
export type CreateCompanyInput = z.infer<typeof createCompanyInput>;

/** `skip` and `limit` of a list (§1.3). */
export type Page = { skip: number; limit: number };

export const listCompaniesInput = z.object({ ...pagination() });

export const companyByIdInput = z.object({ company_id: companyIdParam() });

/** D26: null clears the nullable `description`; on `name` and `is_visible` it means "unchanged". */
export const updateCompanyInput = z.object({
  company_id: companyIdParam(),
  name: name().nullable().optional(),
  description: description().nullable().optional(),
  is_visible: jsonBoolean().nullable().optional(),
});
export type CompanyPatch = Omit<z.infer<typeof updateCompanyInput>, "company_id">;

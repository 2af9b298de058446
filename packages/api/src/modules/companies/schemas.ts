import { z } from "zod";
import { pageInput, pageOf } from "../../pagination.js";
import { jsonBoolean, pathId, rowTimestamps, text } from "../../schemas.js";

/** The `{company_id}` path parameter of every company route. */
export const companyIdParam = () => pathId("Company not found");

const name = () => text().trim().min(1).max(255);
// The original's column was unbounded.
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

export const companyDetailSchema = companySchema.extend(rowTimestamps()).meta({ id: "CompanyDetail" });
export type CompanyDetail = z.infer<typeof companyDetailSchema>;

export const companyListSchema = pageOf("companies", companySchema).meta({ id: "CompanyList" });
export type CompanyList = z.infer<typeof companyListSchema>;

/**
 * `is_visible` defaults to true (docs/differences.md#private-companies-at-creation); an `owner_id` in the body changes
 * nothing, like any unknown field.
 */
export const createCompanyInput = z.object({
  name: name(),
  description: description().nullable().optional(),
  is_visible: jsonBoolean().optional(),
});
export type CreateCompanyInput = z.infer<typeof createCompanyInput>;

export const listCompaniesInput = pageInput({});

export const companyByIdInput = z.object({ company_id: companyIdParam() });

/** null clears the nullable `description`; on `name` and `is_visible` it means "unchanged". */
export const updateCompanyInput = z.object({
  company_id: companyIdParam(),
  name: name().nullable().optional(),
  description: description().nullable().optional(),
  is_visible: jsonBoolean().nullable().optional(),
});
export type CompanyPatch = Omit<z.infer<typeof updateCompanyInput>, "company_id">;

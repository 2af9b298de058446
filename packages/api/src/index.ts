export { type Config, ConfigError, configWarnings, loadConfig } from "./config.js";
export type { AppDeps, Context, RequestInfo } from "./context.js";
export { authenticate, bearerToken } from "./credentials/authenticate.js";
export {
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
  openDatabase,
} from "./db/client.js";
export * as tables from "./db/schema.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export type { TokenPair } from "./modules/auth/schemas.js";
export type { Company, CompanyDetail, CompanyList } from "./modules/companies/schemas.js";
export type { Invitation, InvitationList } from "./modules/invitations/schemas.js";
export type { Member, MemberList } from "./modules/members/schemas.js";
export type { JoinRequest, RequestList } from "./modules/requests/schemas.js";
export type { User, UserDetail, UserList } from "./modules/users/schemas.js";
// buildOpenApi is at "@internship/api/openapi": trpc-to-openapi costs a server ~160 ms to import at start.
export { type RestRoute, restTable } from "./rest-table.js";
export { type AppRouter, appRouter } from "./router.js";
export { type ErrorBody, type ErrorIssue, errorBodySchema } from "./schemas.js";
export { createMemoryStore, createRedisStore, type Store, StoreUnavailableError } from "./store/store.js";
export { authedProcedure, createCallerFactory, errorBody, publicProcedure, router } from "./trpc.js";
export { API_VERSION } from "./version.js";

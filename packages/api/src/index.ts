export { authenticate, bearerToken } from "./auth/authenticate.js";
export { type Config, ConfigError, configWarnings, loadConfig } from "./config.js";
export {
  type Database,
  type DatabaseHandle,
  type DatabaseOptions,
  EMBEDDED_DATA_DIR,
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
export { API_VERSION, buildOpenApi, type OpenApiBuild, type RestOperation } from "./openapi.js";
export { type AppRouter, appRouter } from "./router.js";
export { createMemoryStore, createRedisStore, type Store, StoreUnavailableError } from "./store/store.js";
export { type AppDeps, type Context, createCallerFactory, type ErrorIssue, type RequestInfo } from "./trpc.js";

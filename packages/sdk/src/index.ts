export {
  type Client,
  type ClientOptions,
  createClient,
  login,
  logout,
  type SessionClient,
  type SessionClientOptions,
} from "./client.js";
export { type ApiError, isApiError } from "./errors.js";
export type { HeadersSource, TokenSource } from "./headers.js";
export { type CursorPage, pages } from "./pages.js";
export { hasAnswerKey } from "./quizzes.js";
export { createRestClient, type RestClient, type RestClientOptions } from "./rest/client.js";
export type { components, operations, paths } from "./rest/schema.js";
export type { SessionOptions } from "./session.js";
export type {
  AppRouter,
  ErrorShape,
  Quiz,
  QuizForManager,
  QuizForMember,
  RouterInputs,
  RouterOutputs,
  TokenPair,
} from "./types.js";

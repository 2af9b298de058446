type MaybePromise<T> = T | Promise<T>;

/** An access token, or a function called before each request (the token may have changed since). */
export type TokenSource = string | (() => MaybePromise<string | null | undefined>);

/** Headers sent with every request: an object, or a function called before each request. */
export type HeadersSource = Record<string, string> | (() => MaybePromise<Record<string, string>>);

/** The headers of one request: the caller's own, then `Authorization: Bearer …` when there is a token. */
export async function requestHeaders(
  headers: HeadersSource | undefined,
  token: TokenSource | undefined,
): Promise<Record<string, string>> {
  const own = typeof headers === "function" ? await headers() : headers;
  const bearer = typeof token === "function" ? await token() : token;
  return bearer ? { ...own, authorization: `Bearer ${bearer}` } : { ...own };
}

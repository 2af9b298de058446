import createFetchClient, { type Client } from "openapi-fetch";
import { type HeadersSource, requestHeaders, type TokenSource } from "../headers.js";
import type { paths } from "./schema.js";

export type RestClientOptions = {
  /** The server's base URL, e.g. `https://api.example.com`. */
  url: string;
  token?: TokenSource;
  fetch?: typeof globalThis.fetch;
  headers?: HeadersSource;
};

/** The REST endpoints as openapi.json describes them: `rest.GET("/users/me")` answers `{ data, error, response }`. */
export type RestClient = Client<paths>;

/** A typed REST client (openapi-fetch) for the server's original paths. */
export function createRestClient(options: RestClientOptions): RestClient {
  const client = createFetchClient<paths>({
    baseUrl: options.url.replace(/\/+$/, ""),
    ...(options.fetch && { fetch: options.fetch }),
  });
  client.use({
    async onRequest({ request }) {
      for (const [name, value] of Object.entries(await requestHeaders(options.headers, options.token))) {
        request.headers.set(name, value);
      }
      return request;
    },
  });
  return client;
}

/** The contract's version, in the OpenAPI document the server serves and the one the SDK commits. */
export const API_VERSION = "0.1.0";

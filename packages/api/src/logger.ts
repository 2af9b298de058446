/** The slice of a pino logger the API uses; the server passes its own pino instance. */
export type Logger = {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

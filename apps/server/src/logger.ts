import type { Config } from "@internship/api";
import { type DestinationStream, pino } from "pino";

/**
 * One JSON line per event to stdout (and LOG_FILE when set), written asynchronously from the main thread: lines that
 * arrive while a write is in flight go out together in the next one, so a busy server makes few write calls and an
 * idle one writes each line at once. No transport worker thread: under load it took CPU and ~30 MB the requests
 * need. Readable lines in development (DEBUG) go through pino-pretty's transport.
 */
export function createLogger(config: Pick<Config, "debug" | "logLevel" | "logFile" | "environment">) {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: {
      paths: ["password", "*.password", "hashed_password", "*.hashed_password", "authorization"],
      remove: true,
    },
  };
  const file = config.logFile && pino.destination({ dest: config.logFile, mkdir: true, sync: false });
  let console: DestinationStream;
  if (config.debug && config.environment !== "production") {
    console = pino.transport({
      target: "pino-pretty",
      options: { destination: 1, translateTime: "SYS:HH:MM:ss.l" },
    });
  } else {
    console = pino.destination({ dest: 1, sync: false });
  }
  return pino(
    options,
    file
      ? pino.multistream([
          { level: config.logLevel, stream: console },
          { level: config.logLevel, stream: file },
        ])
      : console,
  );
}

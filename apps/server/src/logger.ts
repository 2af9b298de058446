import type { Config } from "@internship/api";
import { pino } from "pino";

/** One JSON line per event; readable lines in development (DEBUG); also to LOG_FILE when set. */
export function createLogger(config: Pick<Config, "debug" | "logLevel" | "logFile" | "environment">) {
  const targets: pino.TransportTargetOptions[] = [
    config.debug && config.environment !== "production"
      ? { target: "pino-pretty", options: { destination: 1, translateTime: "SYS:HH:MM:ss.l" } }
      : { target: "pino/file", options: { destination: 1 } },
  ];
  if (config.logFile) targets.push({ target: "pino/file", options: { destination: config.logFile, mkdir: true } });
  return pino({
    level: config.logLevel,
    redact: {
      paths: ["password", "*.password", "hashed_password", "*.hashed_password", "authorization"],
      remove: true,
    },
    transport: { targets },
  });
}

/** What a run measures and where; every flag has a default so `pnpm bench` alone is a full run. */
export type BenchOptions = {
  /** Admin URL: the run creates a fresh database beside it and drops it at the end. */
  databaseUrl: string;
  /** The Redis the server and the floor share (a database number of the run's own, see README). */
  redisUrl: string;
  users: number;
  companies: number;
  /** Seconds per measured run; each scenario runs `rounds` times on each server, alternating. */
  durationSeconds: number;
  /** Login is bcrypt-bound: so few requests a second that it needs a longer run to mean anything. */
  loginDurationSeconds: number;
  rounds: number;
  connections: number;
  /** The server's production default (12); the floor and the seeded hashes use the same cost. */
  bcryptRounds: number;
  /** Scenario names to run (all when empty). */
  only: string[];
  /** Runs the real server under `node --cpu-prof`, profiles in bench-results/profiles. */
  profile: boolean;
};

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres";
// Database 15, not 0: the server writes refresh families that live 7 days, and db 0 is what the tests and `pnpm dev` use.
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15";

const USAGE = `pnpm bench [--companies N] [--users N] [--duration S] [--login-duration S] [--rounds N]
           [--connections N] [--bcrypt-rounds N] [--only scenario,scenario] [--profile]
env: BENCH_DATABASE_URL (admin URL, default ${DEFAULT_DATABASE_URL}), BENCH_REDIS_URL (default ${DEFAULT_REDIS_URL})`;

export class UsageError extends Error {
  override name = "UsageError";
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
  }
}

const INTEGER_FLAGS = {
  "--companies": ["companies", 1, 10_000_000],
  "--users": ["users", 10, 1_000_000],
  "--duration": ["durationSeconds", 1, 600],
  "--login-duration": ["loginDurationSeconds", 1, 600],
  "--rounds": ["rounds", 1, 20],
  "--connections": ["connections", 1, 1000],
  "--bcrypt-rounds": ["bcryptRounds", 4, 15],
} as const;

export function parseOptions(argv: string[], env: Record<string, string | undefined>): BenchOptions {
  const options: BenchOptions = {
    databaseUrl: env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL,
    redisUrl: env.BENCH_REDIS_URL || DEFAULT_REDIS_URL,
    users: 1000,
    companies: 10_000,
    durationSeconds: 5,
    loginDurationSeconds: 10,
    rounds: 2,
    connections: 20,
    bcryptRounds: 12,
    only: [],
    profile: false,
  };
  // pnpm forwards a lone "--" when arguments are passed through a script.
  const args = argv.filter((arg) => arg !== "--");
  for (let index = 0; index < args.length; index++) {
    const [flag = "", inline] = (args[index] ?? "").split("=", 2);
    if (flag === "--profile") {
      options.profile = true;
      continue;
    }
    if (flag === "--help" || flag === "-h") throw new UsageError("");
    const value = inline ?? args[++index];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === "--only") {
      options.only = value
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean);
      continue;
    }
    const spec = INTEGER_FLAGS[flag as keyof typeof INTEGER_FLAGS];
    if (!spec) throw new UsageError(`unknown option ${flag}`);
    const [key, min, max] = spec;
    const parsed = Number(value.replace(/_/g, ""));
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${value}`);
    }
    options[key] = parsed;
  }
  return options;
}

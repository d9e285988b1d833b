import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

export type Environment = 'development' | 'production' | 'test';

export type DatabaseSettings =
  | { type: 'sqlite'; path: string }
  | {
      type: 'mysql';
      /** TypeORM's dialect: MariaDB reports some column facts differently from MySQL. */
      flavor: 'mysql' | 'mariadb';
      host: string;
      port: number;
      user: string;
      password: string;
      database: string;
    };

export interface Argon2Settings {
  /** Memory per hash, in KiB. */
  memoryCost: number;
  /** Passes over the memory. */
  timeCost: number;
  /** Lanes. */
  parallelism: number;
  /** Hashes and verifications allowed to run at once; the rest wait their turn. */
  maxConcurrent: number;
}

export interface TokenSettings {
  secret: string;
  /** Lifetime of a signed token, in seconds. */
  expiresInSeconds: number;
  issuer: string;
  audience: string;
  /** How far, in seconds, `exp`, `nbf` and `iat` may be off before a token is refused. */
  clockToleranceSeconds: number;
}

/** Every setting the service reads, validated and typed. */
export interface Config {
  env: Environment;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseSettings;
  runMigrations: boolean;
  tokens: TokenSettings;
  argon2: Argon2Settings;
  introspection: boolean;
  /** Browser origins allowed to call the API across origins; `*` allows any. */
  corsOrigins: string[];
  logLevel: string;
  /** Problems that do not stop the start but that the operator should hear about. */
  warnings: string[];
}

/** Raised when one or more settings are wrong; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// The OWASP floor for argon2id: 19 MiB, two passes, one lane. Only tests may go lower, so
// that the suite stays fast on two cores; the hashing itself is never skipped.
export const ARGON2_FLOOR = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

// Upper bounds that keep a typo from exhausting memory: several hashes run at once.
const ARGON2_CEILING = { memoryCost: 1024 * 1024, timeCost: 64, parallelism: 16 } as const;

// A token cannot be revoked, so its lifetime is the window in which a stolen one works:
// fifteen minutes by default, and never more than a day.
const DEFAULT_TOKEN_SECONDS = 15 * 60;
const MAX_TOKEN_SECONDS = 24 * 60 * 60;
const MAX_CLOCK_TOLERANCE_SECONDS = 5 * 60;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIN_SECRET_BYTES = 32;

/**
 * Reads and validates the environment once, at start-up. This is the only reader of
 * `process.env`; everything else receives the returned settings.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const warnings: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development');
  const production = nodeEnv === 'production';
  const { dataDir, database, runMigrations } = readDatabase(read, problems);

  // argon2 runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise).
  // At most one hash per core, and never the whole pool, so that other work keeps a lane.
  const threadPool = read.integer('UV_THREADPOOL_SIZE', 4, 1, 1024);
  const argon2: Argon2Settings = {
    memoryCost: read.integer(
      'ARGON2_MEMORY_KIB',
      ARGON2_FLOOR.memoryCost,
      8,
      ARGON2_CEILING.memoryCost,
    ),
    timeCost: read.integer('ARGON2_TIME_COST', ARGON2_FLOOR.timeCost, 1, ARGON2_CEILING.timeCost),
    parallelism: read.integer(
      'ARGON2_PARALLELISM',
      ARGON2_FLOOR.parallelism,
      1,
      ARGON2_CEILING.parallelism,
    ),
    maxConcurrent: read.integer(
      'ARGON2_MAX_CONCURRENT',
      Math.max(1, Math.min(availableParallelism(), threadPool - 1)),
      1,
      threadPool,
    ),
  };
  if (argon2.memoryCost < 8 * argon2.parallelism) {
    problems.push(
      'ARGON2_MEMORY_KIB must be at least 8 times ARGON2_PARALLELISM, as argon2 requires.',
    );
  }
  if (nodeEnv !== 'test') {
    for (const [name, key] of [
      ['ARGON2_MEMORY_KIB', 'memoryCost'],
      ['ARGON2_TIME_COST', 'timeCost'],
      ['ARGON2_PARALLELISM', 'parallelism'],
    ] as const) {
      if (argon2[key] < ARGON2_FLOOR[key]) {
        problems.push(
          `${name} must be at least ${ARGON2_FLOOR[key]} (the OWASP minimum for argon2id) outside NODE_ENV=test.`,
        );
      }
    }
  }

  const tokens: TokenSettings = {
    secret: '',
    expiresInSeconds: read.duration('JWT_EXPIRES_IN', DEFAULT_TOKEN_SECONDS, 1, MAX_TOKEN_SECONDS),
    issuer: read.string('JWT_ISSUER', 'identity-graphql'),
    audience: read.string('JWT_AUDIENCE', 'identity-graphql'),
    clockToleranceSeconds: read.duration('JWT_CLOCK_TOLERANCE', 30, 0, MAX_CLOCK_TOLERANCE_SECONDS),
  };
  tokens.secret = resolveSecret(
    read.optional('JWT_SECRET'),
    production,
    dataDir,
    problems,
    warnings,
  );

  const config: Config = {
    env: nodeEnv,
    host: read.string('HOST', '127.0.0.1'),
    port: read.integer('PORT', 4000, 0, 65535),
    dataDir,
    database,
    runMigrations,
    tokens,
    argon2,
    introspection: read.boolean('INTROSPECTION', !production),
    corsOrigins: read.origins('CORS_ORIGINS'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    warnings,
  };

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

/**
 * Reads only the database settings: for operator commands, which need no secret and must
 * not generate one.
 */
export function loadDatabaseConfig(
  env: NodeJS.ProcessEnv = process.env,
): Pick<Config, 'dataDir' | 'database' | 'runMigrations'> {
  const problems: string[] = [];
  const settings = readDatabase(new EnvReader(env, problems), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}

function readDatabase(
  read: EnvReader,
  problems: string[],
): Pick<Config, 'dataDir' | 'database' | 'runMigrations'> {
  const dataDir = resolve(read.string('DATA_DIR', 'data'));
  const database = parseDatabaseUrl(
    read.string('DATABASE_URL', `sqlite:${join(dataDir, 'identity.sqlite')}`),
    problems,
  );
  return { dataDir, database, runMigrations: read.boolean('MIGRATIONS_RUN', true) };
}

class EnvReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly problems: string[],
  ) {}

  string(name: string, fallback: string): string {
    const value = this.raw(name);
    return value ?? fallback;
  }

  optional(name: string): string | undefined {
    return this.raw(name);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}; got "${value}".`);
    return fallback;
  }

  integer(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}; got "${value}".`);
      return fallback;
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value.toLowerCase())) return true;
    if (['false', '0', 'no', 'off'].includes(value.toLowerCase())) return false;
    this.problems.push(`${name} must be true or false; got "${value}".`);
    return fallback;
  }

  /** A comma-separated list of origins such as `https://app.example.com`, or `*`. */
  origins(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) return [];
    const origins = value.split(',').map((origin) => origin.trim());
    for (const origin of origins) {
      if (origin !== '*' && !isOrigin(origin)) {
        this.problems.push(
          `${name} must list origins such as "https://app.example.com", or "*"; got "${origin}".`,
        );
      }
    }
    return origins;
  }

  /** Seconds as a plain number, or a number with a unit: `90`, `90s`, `15m`, `12h`, `7d`. */
  duration(name: string, fallbackSeconds: number, minSeconds: number, maxSeconds: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallbackSeconds;
    const match = /^(\d+)\s*(s|m|h|d)?$/.exec(value);
    const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
    const seconds = match ? Number(match[1]) * units[match[2] ?? 's'] : NaN;
    if (!Number.isSafeInteger(seconds) || seconds < minSeconds || seconds > maxSeconds) {
      this.problems.push(
        `${name} must be a duration from ${minSeconds} to ${maxSeconds} seconds, such as "900" or "15m"; got "${value}".`,
      );
      return fallbackSeconds;
    }
    return seconds;
  }

  // An empty variable counts as unset, as shells and compose files often leave them so.
  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

const DATABASE_URL_FORMS =
  'DATABASE_URL must be "mysql://user:pass@host:port/db", "mariadb://user:pass@host:port/db" or "sqlite:path".';

function parseDatabaseUrl(url: string, problems: string[]): DatabaseSettings {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') {
      problems.push(
        'DATABASE_URL "sqlite:" needs a file path, such as "sqlite:data/identity.sqlite".',
      );
    }
    return { type: 'sqlite', path: path === ':memory:' ? path : resolve(path) };
  }

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(DATABASE_URL_FORMS);
    return { type: 'sqlite', path: '' };
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  const flavor = parsed.protocol === 'mariadb:' ? 'mariadb' : 'mysql';
  if (
    !['mysql:', 'mariadb:'].includes(parsed.protocol) ||
    parsed.hostname === '' ||
    database === ''
  ) {
    problems.push(`${DATABASE_URL_FORMS} A MySQL URL needs a database name.`);
  }
  return {
    type: 'mysql',
    flavor,
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

// Production must be given a strong secret. Elsewhere a missing one is generated once and
// kept in the data folder, so that tokens survive a restart of a development server.
function resolveSecret(
  given: string | undefined,
  production: boolean,
  dataDir: string,
  problems: string[],
  warnings: string[],
): string {
  if (given !== undefined) {
    if (Buffer.byteLength(given) < MIN_SECRET_BYTES) {
      const message = `JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long.`;
      if (production) problems.push(message);
      else warnings.push(`${message} A short secret is accepted only outside production.`);
    }
    return given;
  }
  if (production) {
    problems.push(
      `JWT_SECRET is required with NODE_ENV=production (at least ${MIN_SECRET_BYTES} bytes).`,
    );
    return '';
  }

  const file = join(dataDir, 'jwt-secret');
  const kept = readSecretFile(file);
  if (kept !== undefined) return kept;

  const secret = randomBytes(48).toString('base64url');
  try {
    mkdirSync(dataDir, { recursive: true });
    // `wx` fails if another process wrote the file first; then its secret is the one.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const raced = readSecretFile(file);
    if (raced !== undefined) return raced;
    problems.push(`JWT_SECRET is not set and ${file} could not be written: ${String(error)}.`);
    return '';
  }
  warnings.push(
    `JWT_SECRET is not set: generated one and kept it in ${file}. Set JWT_SECRET in production.`,
  );
  return secret;
}

function readSecretFile(file: string): string | undefined {
  try {
    const secret = readFileSync(file, 'utf8').trim();
    return secret === '' ? undefined : secret;
  } catch {
    return undefined;
  }
}

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, loadConfig } from '../src/config';

const STRONG_SECRET = 's'.repeat(32);

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'identity-config-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ DATA_DIR: dataDir, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('starts a newcomer on SQLite under the data folder, port 4000, 15-minute tokens', () => {
    const config = loadConfig({ DATA_DIR: dataDir });

    expect(config.database).toEqual({ type: 'sqlite', path: join(dataDir, 'identity.sqlite') });
    expect(config.port).toBe(4000);
    expect(config.tokens.expiresInSeconds).toBe(900);
    expect(config.argon2).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(config.introspection).toBe(true);
    expect(config.runMigrations).toBe(true);
  });

  it('generates a development secret once, keeps it, and warns', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });

    expect(Buffer.byteLength(first.tokens.secret)).toBeGreaterThanOrEqual(32);
    expect(second.tokens.secret).toBe(first.tokens.secret);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first.tokens.secret);
    expect(first.warnings.join('\n')).toMatch(/JWT_SECRET/);
  });

  it('refuses to start in production without a JWT_SECRET, and writes no secret', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^JWT_SECRET/)]);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
  });

  it('refuses a production JWT_SECRET shorter than 32 bytes', () => {
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toEqual([
      expect.stringMatching(/^JWT_SECRET/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET })).toEqual([]);
  });

  it('turns introspection off by default in production', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      JWT_SECRET: STRONG_SECRET,
    });
    expect(config.introspection).toBe(false);
    expect(
      loadConfig({
        DATA_DIR: dataDir,
        NODE_ENV: 'production',
        JWT_SECRET: STRONG_SECRET,
        INTROSPECTION: 'true',
      }).introspection,
    ).toBe(true);
  });

  it('refuses argon2 parameters under the OWASP floor outside tests', () => {
    const weak = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' };
    expect(problemsOf(weak)).toEqual([
      expect.stringMatching(/^ARGON2_MEMORY_KIB/),
      expect.stringMatching(/^ARGON2_TIME_COST/),
    ]);
    expect(problemsOf({ ...weak, NODE_ENV: 'test' })).toEqual([]);
  });

  it.each([
    ['900', 900],
    ['15m', 900],
    ['2h', 7200],
    ['1d', 86400],
    ['45s', 45],
  ])('reads JWT_EXPIRES_IN=%s as %i seconds', (value, seconds) => {
    expect(loadConfig({ DATA_DIR: dataDir, JWT_EXPIRES_IN: value }).tokens.expiresInSeconds).toBe(
      seconds,
    );
  });

  it('refuses a JWT_SECRET of only spaces in production, and trims a trailing newline', () => {
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: ' '.repeat(40) })).toEqual([
      expect.stringMatching(/^JWT_SECRET/),
    ]);
    const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: `${STRONG_SECRET}\n` });
    expect(config.tokens.secret).toBe(STRONG_SECRET);
  });

  it.each([
    ['ARGON2_MEMORY_KIB', '9999999999'],
    ['ARGON2_PARALLELISM', '99999999'],
    ['ARGON2_TIME_COST', '0'],
    ['JWT_EXPIRES_IN', '2d'],
    ['JWT_CLOCK_TOLERANCE', '1h'],
    ['ARGON2_MAX_CONCURRENT', '0'],
  ])('refuses %s=%s by name', (name, value) => {
    expect(problemsOf({ [name]: value })).toEqual([expect.stringMatching(new RegExp(`^${name}`))]);
  });

  it('refuses less argon2 memory than its lanes need, even in tests', () => {
    expect(
      problemsOf({ NODE_ENV: 'test', ARGON2_MEMORY_KIB: '8', ARGON2_PARALLELISM: '4' }),
    ).toEqual([expect.stringMatching(/^ARGON2_MEMORY_KIB/)]);
  });

  it('leaves a thread of the pool free of argon2 by default', () => {
    const config = loadConfig({ DATA_DIR: dataDir, UV_THREADPOOL_SIZE: '2' });
    expect(config.argon2.maxConcurrent).toBe(1);
  });

  it('names every bad variable at once', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        JWT_EXPIRES_IN: '15 minutes',
        NODE_ENV: 'staging',
        INTROSPECTION: 'maybe',
        DATABASE_URL: 'postgres://localhost/db',
      }).map((problem) => problem.split(' ')[0]),
    ).toEqual(['NODE_ENV', 'DATABASE_URL', 'JWT_EXPIRES_IN', 'PORT', 'INTROSPECTION']);
  });

  it('reads a MySQL DATABASE_URL, credentials decoded', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      DATABASE_URL: 'mysql://app:p%40ss@db:3307/identity',
    });
    expect(config.database).toEqual({
      type: 'mysql',
      flavor: 'mysql',
      host: 'db',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'identity',
    });
  });

  it('refuses a MySQL DATABASE_URL without a database name', () => {
    expect(problemsOf({ DATABASE_URL: 'mysql://root@localhost:3306' })).toEqual([
      expect.stringMatching(/^DATABASE_URL/),
    ]);
  });
});

describe('CORS_ORIGINS', () => {
  it('reads a list of origins', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      CORS_ORIGINS: 'https://a.test, http://localhost:3000',
    });
    expect(config.corsOrigins).toEqual(['https://a.test', 'http://localhost:3000']);
  });

  it('refuses something that is not an origin', () => {
    expect(problemsOf({ CORS_ORIGINS: 'https://a.test/path' })).toEqual([
      expect.stringMatching(/^CORS_ORIGINS/),
    ]);
  });
});

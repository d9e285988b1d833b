import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { type RunningServer, startServer } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './database';

export const TEST_SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

/** The argon2 parameters of the test servers: low, so that the suite stays fast. */
export const TEST_ARGON2 = { memoryCost: 2048, timeCost: 2, parallelism: 1 };

export interface TestServerOptions {
  /** Extra environment variables, as an operator would set them. */
  env?: Record<string, string>;
  /** A database to reuse, as when restarting; by default a new one is made and dropped. */
  database?: TestDatabase;
  logger?: Logger;
}

export interface TestServer extends RunningServer {
  database: TestDatabase;
  /** Stops the server; drops its database too unless it was handed in. */
  stop(): Promise<void>;
}

/**
 * Starts the real server, through the function `main.ts` calls, on port 0 and a database
 * of its own.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = mkdtempSync(join(tmpdir(), 'identity-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    JWT_SECRET: TEST_SECRET,
    ARGON2_MEMORY_KIB: String(TEST_ARGON2.memoryCost),
    ARGON2_TIME_COST: String(TEST_ARGON2.timeCost),
    ARGON2_PARALLELISM: String(TEST_ARGON2.parallelism),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const logger = options.logger ?? createLogger(config.logLevel);

  const server = await startServer(config, logger);
  return {
    ...server,
    database,
    stop: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (!options.database) await database.drop();
    },
  };
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createConnection } from 'mysql2/promise';

/** A database made for one test file; `drop` removes it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Makes an empty database for a test. `TEST_DATABASE_URL` may name a MySQL or MariaDB
 * server and its credentials (`mysql://root@127.0.0.1:3306`); the database itself is always a new one
 * whose name this function picks, so a test can never touch data it was not meant to.
 * Without it, the database is a SQLite file in a new temporary folder.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.TEST_DATABASE_URL;
  if (server === undefined || server === '') {
    const folder = mkdtempSync(join(tmpdir(), 'identity-test-'));
    return {
      url: `sqlite:${join(folder, 'test.sqlite')}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }

  const url = new URL(server);
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new Error('TEST_DATABASE_URL must be a mysql:// or mariadb:// URL.');
  }
  const name = `identity_test_${randomBytes(6).toString('hex')}`;
  await runOnServer(url, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);

  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runOnServer(url, `DROP DATABASE IF EXISTS \`${name}\``),
  };
}

async function runOnServer(url: URL, sql: string): Promise<void> {
  const connection = await createConnection({
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

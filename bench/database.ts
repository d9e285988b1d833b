import { readFileSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

import { createConnection } from 'mysql2/promise';

import type { DatabaseSettings } from '../src/config';
import { createDataSource } from '../src/database/data-source';

/** The database the bench owns for one run: a SQLite file in its temp folder, or a MySQL one. */
export interface BenchDatabase {
  kind: 'sqlite' | 'mysql';
  /** The DATABASE_URL to give the server. */
  url: string;
  /** Where it lives, for the report; never a password. */
  where: string;
  /** The pid of the database server when it runs on this machine and says so; its CPU is the service's. */
  serverPid(): Promise<number | undefined>;
  /** Free bytes where its files go, when that can be told from here. */
  freeBytes(): Promise<number | undefined>;
  /** Runs the service's migrations, then adds users `first` to `last` (see `benchUser`). */
  seed(settings: DatabaseSettings, first: number, last: number, hash: string): Promise<void>;
  /** Removes the database, its files and the bench's temporary folder. */
  drop(): Promise<void>;
}

/** The name of the one MySQL database the bench creates, fills and drops. */
export const MYSQL_DATABASE = 'identity_bench';

// Rows are inserted 100,000 at a time, so that no statement holds the whole table.
const BLOCKS_PER_STATEMENT = 100;
const BLOCK = 1000;

/** The id and email of bench user number `n` (from 1), as the seeding SQL makes them. */
export function benchUser(n: number): { id: string; email: string } {
  return {
    id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    email: `user${String(n).padStart(7, '0')}@bench.test`,
  };
}

/**
 * Picks the bench's database. A `mysql://` or `mariadb://` DATABASE_URL names the server and
 * credentials; the database on it is always `identity_bench`, made afresh. Anything else
 * means a new SQLite file in `tempDir`: the bench never opens a database it did not make.
 */
export async function createBenchDatabase(
  databaseUrl: string | undefined,
  tempDir: string,
): Promise<BenchDatabase> {
  if (databaseUrl?.startsWith('mysql://') || databaseUrl?.startsWith('mariadb://')) {
    return createMysqlDatabase(new URL(databaseUrl), tempDir);
  }

  const path = join(tempDir, 'bench.sqlite');
  return {
    kind: 'sqlite',
    url: `sqlite:${path}`,
    where: path,
    serverPid: async () => undefined,
    freeBytes: async () => freeBytesAt(tempDir),
    seed: (settings, first, last, hash) => seed(settings, first, last, hash),
    drop: async () => rmSync(tempDir, { recursive: true, force: true }),
  };
}

async function createMysqlDatabase(server: URL, tempDir: string): Promise<BenchDatabase> {
  server.pathname = '/';
  await runOnServer(server, `DROP DATABASE IF EXISTS \`${MYSQL_DATABASE}\``);
  await runOnServer(server, `CREATE DATABASE \`${MYSQL_DATABASE}\` CHARACTER SET utf8mb4`);

  const url = new URL(server.toString());
  url.pathname = `/${MYSQL_DATABASE}`;
  return {
    kind: 'mysql',
    url: url.toString(),
    where: `${url.hostname}:${url.port || '3306'}/${MYSQL_DATABASE}`,
    serverPid: async () => {
      const rows = await runOnServer(server, 'SELECT @@pid_file AS pidFile');
      const pidFile = (rows as { pidFile?: string }[])[0]?.pidFile;
      try {
        const pid = pidFile === undefined ? NaN : Number(readFileSync(pidFile, 'utf8').trim());
        return Number.isInteger(pid) && pid > 0 ? pid : undefined;
      } catch {
        return undefined;
      }
    },
    freeBytes: async () => {
      const rows = await runOnServer(server, 'SELECT @@datadir AS datadir');
      const datadir = (rows as { datadir?: string }[])[0]?.datadir;
      return datadir === undefined ? undefined : freeBytesAt(datadir);
    },
    seed: (settings, first, last, hash) => seed(settings, first, last, hash),
    drop: async () => {
      await runOnServer(server, `DROP DATABASE IF EXISTS \`${MYSQL_DATABASE}\``);
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

// Set-based: each statement makes up to 100,000 rows from a recursive CTE of 1,000 numbers
// joined with itself, so that no dialect's recursion limit (1,000 by default in MySQL and
// MariaDB) is reached. Row n gets the n-th id, email and creation time, so ids, emails and
// created_at all rise together and the table's order is stable.
async function seed(
  settings: DatabaseSettings,
  first: number,
  last: number,
  hash: string,
): Promise<void> {
  const dataSource = createDataSource(settings);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = settings.type === 'sqlite' ? SQLITE_INSERT : MYSQL_INSERT;
    const lastBlock = Math.floor((last - 1) / BLOCK);
    for (let block = Math.floor((first - 1) / BLOCK); block <= lastBlock;) {
      const upTo = Math.min(lastBlock, block + BLOCKS_PER_STATEMENT - 1);
      await dataSource.query(sql, [block, upTo, hash, first, last]);
      block = upTo + 1;
    }
    if (settings.type === 'sqlite') await dataSource.query('PRAGMA wal_checkpoint(TRUNCATE)');

    const [{ count }] = (await dataSource.query('SELECT COUNT(*) AS count FROM users')) as {
      count: number | string;
    }[];
    if (Number(count) !== last) throw new Error(`Seeding left ${count} users, not ${last}.`);
  } finally {
    await dataSource.destroy();
  }
}

// Parameters: first block, last block, password hash, first n, last n.
const SQLITE_INSERT = `
INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
WITH RECURSIVE digits(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM digits WHERE d < 999),
  numbers(n) AS (
    SELECT hi.d * 1000 + lo.d + 1 FROM digits AS hi CROSS JOIN digits AS lo
    WHERE hi.d BETWEEN ? AND ?
  )
SELECT printf('00000000-0000-4000-8000-%012x', n), printf('user%07d@bench.test', n), NULL, ?, 'USER',
  strftime('%Y-%m-%d %H:%M:%f', 1735689600 + n, 'unixepoch'),
  strftime('%Y-%m-%d %H:%M:%f', 1735689600 + n, 'unixepoch')
FROM numbers WHERE n BETWEEN ? AND ?`;

const MYSQL_INSERT = `
INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
WITH RECURSIVE digits(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM digits WHERE d < 999),
  numbers(n) AS (
    SELECT hi.d * 1000 + lo.d + 1 FROM digits AS hi CROSS JOIN digits AS lo
    WHERE hi.d BETWEEN ? AND ?
  )
SELECT LOWER(CONCAT('00000000-0000-4000-8000-', LPAD(HEX(n), 12, '0'))),
  CONCAT('user', LPAD(n, 7, '0'), '@bench.test'), NULL, ?, 'USER',
  TIMESTAMPADD(SECOND, n, '2025-01-01 00:00:00.000'),
  TIMESTAMPADD(SECOND, n, '2025-01-01 00:00:00.000')
FROM numbers WHERE n BETWEEN ? AND ?`;

async function runOnServer(server: URL, sql: string): Promise<unknown> {
  const connection = await createConnection({
    host: server.hostname,
    port: server.port === '' ? 3306 : Number(server.port),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
  });
  try {
    const [rows] = await connection.query(sql);
    return rows;
  } finally {
    await connection.end();
  }
}

function freeBytesAt(path: string): number | undefined {
  try {
    const stats = statfsSync(path);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

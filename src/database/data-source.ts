import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { DataSource } from 'typeorm';

import { assertNever } from '../assert-never';
import type { DatabaseSettings } from '../config';
import { User } from '../users/user.entity';
import { CreateUsers1796399307941 } from './migrations/1796399307941-CreateUsers';

/** Every migration, oldest first. Both dialects run the same list. */
export const MIGRATIONS = [CreateUsers1796399307941];

/**
 * Builds the DataSource for the configured database. The schema is only ever changed by
 * migrations: `synchronize` stays off on every database.
 */
export function createDataSource(settings: DatabaseSettings): DataSource {
  const common = {
    entities: [User],
    migrations: MIGRATIONS,
    synchronize: false,
    logging: false,
  };

  switch (settings.type) {
    case 'sqlite':
      if (settings.path !== ':memory:') mkdirSync(dirname(settings.path), { recursive: true });
      return new DataSource({
        ...common,
        type: 'better-sqlite3',
        database: settings.path,
        // WAL lets the operator CLI write while the server holds the file; the timeout makes
        // a writer wait for a lock instead of failing at once.
        enableWAL: true,
        timeout: 5000,
      });
    case 'mysql':
      return new DataSource({
        ...common,
        type: settings.flavor,
        host: settings.host,
        port: settings.port,
        username: settings.user,
        password: settings.password,
        database: settings.database,
        charset: 'utf8mb4',
        // Times are sent and read as UTC whatever the server's or the session's zone.
        timezone: 'Z',
        poolSize: 10,
      });
    default:
      return assertNever(settings);
  }
}

import { type DataSource, QueryFailedError } from 'typeorm';
import { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';

/** One row for the value of the statement's single `?`, or undefined when there is none. */
export type RowLookup = (value: string) => Promise<Record<string, unknown> | undefined>;

// The part of better-sqlite3 used here; TypeORM types its connection as `any`.
interface SqliteStatement {
  get(value: string): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/**
 * A look-up by one value, for statements that run on nearly every request.
 *
 * On SQLite the statement is prepared once, on first use, and run on better-sqlite3 itself:
 * `DataSource.query` wraps each call in a query runner, a logger call and event broadcasts,
 * which in the loaded server cost over half as much again as the read itself (the service
 * answered 3.3% more `me` requests without them; docs/performance.md). SQLite re-prepares
 * the statement by itself when the schema changes.
 *
 * On MySQL the query goes through TypeORM and its pool as any other, since the round trip
 * to the server dwarfs the wrapper.
 */
export function rowLookup(dataSource: DataSource, sql: string): RowLookup {
  const { driver } = dataSource;
  if (driver instanceof BetterSqlite3Driver) {
    let preparedOn: SqliteConnection | undefined;
    let statement: SqliteStatement | undefined;
    return async (value) => {
      // A statement belongs to one connection; a DataSource initialized again has another.
      const connection = driver.databaseConnection as SqliteConnection;
      try {
        if (!statement || preparedOn !== connection) {
          statement = connection.prepare(sql);
          preparedOn = connection;
        }
        return statement.get(value) as Record<string, unknown> | undefined;
      } catch (error) {
        // Failing as DataSource.query fails, so that the log names the statement (never its
        // parameters) and reads the same on both databases.
        throw new QueryFailedError(sql, [value], error as Error);
      }
    };
  }
  return async (value) => {
    const rows: Record<string, unknown>[] = await dataSource.query(sql, [value]);
    return rows[0];
  };
}

import { QueryFailedError } from 'typeorm';

const MYSQL_DUPLICATE_ENTRY = 1062;

/** Whether a failed insert or update broke a unique index, on MySQL or on SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  if (typeof driverError !== 'object' || driverError === null) return false;
  const { code, errno } = driverError as { code?: unknown; errno?: unknown };
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'ER_DUP_ENTRY' ||
    errno === MYSQL_DUPLICATE_ENTRY
  );
}

/** Where a page of users ends: the sort key of its last user. */
export interface UserCursor {
  createdAt: Date;
  id: string;
}

/** Encodes a cursor as an opaque string; clients must not read meaning into it. */
export function encodeCursor(cursor: UserCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString(
    'base64url',
  );
}

/** Decodes a cursor made by `encodeCursor`, or returns undefined for anything else. */
export function decodeCursor(value: string): UserCursor | undefined {
  if (value.length > 200) return undefined;
  const [iso, id, ...rest] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !iso || !id || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) return undefined;
  return { createdAt, id };
}

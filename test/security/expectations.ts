import type { GraphQLResponse } from '../helpers/graphql';

export type UnauthenticatedReason = 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'USER_NOT_FOUND';

// What a response must never show a client: stack frames, driver and SQL text, Apollo's
// stack trace extension.
const INTERNALS = [
  /stacktrace/i,
  /\bat [^\s]+ \(?[^\s]*\.[jt]s:\d+/,
  /QueryFailedError|SqliteError|SQLITE_|\bER_[A-Z_]{3,}/,
  /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b.*\busers\b/i,
  /<html|<!DOCTYPE/i,
];

/** Fails when the response body shows anything of the server's insides. */
export function expectNoInternals(response: GraphQLResponse<unknown> | { text: string }): void {
  const text = 'text' in response ? response.text : JSON.stringify(response);
  for (const pattern of INTERNALS) expect(text).not.toMatch(pattern);
}

/**
 * A 401 whose every error is UNAUTHENTICATED: with `reason`, for a caller who sent a
 * token that signs nobody in; without, for a caller who sent none.
 */
export function expectUnauthenticated(
  response: GraphQLResponse<unknown>,
  reason?: UnauthenticatedReason,
): void {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe(
    reason ? 'Bearer error="invalid_token"' : 'Bearer',
  );
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors ?? []) {
    expect(error.extensions?.code).toBe('UNAUTHENTICATED');
    expect(error.extensions?.reason).toBe(reason);
  }
  expectNoInternals(response);
}

/**
 * Every error is FORBIDDEN, and the data is `data`: null unless the refused field is
 * nullable, so that nothing the caller asked for came back.
 */
export function expectForbidden(response: GraphQLResponse<unknown>, data: unknown = null): void {
  expect(response.status).not.toBe(401);
  expect(response.status).toBeLessThan(500);
  expect(response.errors?.length).toBeGreaterThan(0);
  for (const error of response.errors ?? []) expect(error.extensions?.code).toBe('FORBIDDEN');
  expect(response.data ?? null).toEqual(data);
  expectNoInternals(response);
}

import type { TokenClaims, TokenProblem, TokenService } from './tokens';

/**
 * Who is calling, as read from the `Authorization` header: nobody, a holder of a verified
 * token, or someone whose header did not hold a valid bearer token. Nothing here has been
 * checked against the database yet.
 */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'token'; claims: TokenClaims }
  | { kind: 'invalid'; problem: TokenProblem };

// RFC 6750: the scheme is "Bearer", in any letter case, then one or more spaces and a
// token of base64url-ish characters.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Reads the caller from the values of the `Authorization` header, one per header line.
 * Never throws: whatever the header holds, the answer is one of the three kinds of caller.
 */
export function identifyCaller(
  values: readonly string[] | undefined,
  tokens: TokenService,
): Caller {
  if (values === undefined || values.length === 0) return { kind: 'anonymous' };
  // Two lines could name two people; guessing which one counts would be a forgery vector.
  if (values.length > 1) return { kind: 'invalid', problem: 'TOKEN_INVALID' };

  const match = BEARER.exec(values[0]);
  if (!match) return { kind: 'invalid', problem: 'TOKEN_INVALID' };

  const result = tokens.verify(match[1]);
  return result.ok
    ? { kind: 'token', claims: result.claims }
    : { kind: 'invalid', problem: result.problem };
}

import { createSecretKey, type KeyObject } from 'node:crypto';

import jwt from 'jsonwebtoken';

import type { TokenSettings } from '../config';
import { type Role, parseRole } from '../users/role';

/** Why a token was refused. */
export type TokenProblem = 'TOKEN_EXPIRED' | 'TOKEN_INVALID';

/** What a verified token says about its holder. */
export interface TokenClaims {
  userId: string;
  /** The role when the token was issued: informative only, the database's role counts. */
  role: Role;
  issuedAt: number;
  expiresAt: number;
}

export interface SignedToken {
  token: string;
  expiresAt: Date;
}

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem };

// HS256 only, and pinned on both sides: accepting whatever `alg` a token names is how
// `alg: none` and key-confusion forgeries get in.
const ALGORITHM = 'HS256';

// Far longer than any token this service signs; anything bigger is refused before parsing.
const MAX_TOKEN_LENGTH = 4096;

/** Signs and verifies the service's access tokens. Knows nothing of HTTP or GraphQL. */
export class TokenService {
  // A KeyObject made once: given a string, jsonwebtoken tries to parse it as a PEM key on
  // every call, which costs about forty times the verification itself.
  private readonly key: KeyObject;

  constructor(private readonly settings: TokenSettings) {
    this.key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
  }

  /** Signs a token for a user, and tells when it expires. */
  sign(userId: string, role: Role, now: number = Date.now()): SignedToken {
    const issuedAt = Math.floor(now / 1000);
    const expiresAt = issuedAt + this.settings.expiresInSeconds;
    // Not yet: a signed token cannot be revoked before it expires (no logout, no "sign out
    // everywhere" after a password change); the short lifetime is what bounds the damage.
    const token = jwt.sign({ role, iat: issuedAt, exp: expiresAt }, this.key, {
      algorithm: ALGORITHM,
      subject: userId,
      issuer: this.settings.issuer,
      audience: this.settings.audience,
    });
    return { token, expiresAt: new Date(expiresAt * 1000) };
  }

  /** Verifies a token; never throws. */
  verify(token: string, now: number = Date.now()): VerifyResult {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      return { ok: false, problem: 'TOKEN_INVALID' };
    }

    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockToleranceSeconds,
        clockTimestamp: Math.floor(now / 1000),
      });
    } catch (error) {
      return {
        ok: false,
        problem: error instanceof jwt.TokenExpiredError ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
      };
    }

    // jsonwebtoken checks `exp` only when present, and never checks that `iat` is in the
    // past: a token without an expiry, or minted for later, is refused here.
    const nowSeconds = now / 1000;
    if (
      typeof payload !== 'object' ||
      typeof payload.sub !== 'string' ||
      payload.sub === '' ||
      typeof payload.exp !== 'number' ||
      typeof payload.iat !== 'number' ||
      payload.iat > nowSeconds + this.settings.clockToleranceSeconds
    ) {
      return { ok: false, problem: 'TOKEN_INVALID' };
    }
    const role = parseRole((payload as { role?: unknown }).role);
    if (role === undefined) {
      return { ok: false, problem: 'TOKEN_INVALID' };
    }

    return {
      ok: true,
      claims: { userId: payload.sub, role, issuedAt: payload.iat, expiresAt: payload.exp },
    };
  }
}

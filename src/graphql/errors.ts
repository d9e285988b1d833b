import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

import { assertNever } from '../assert-never';
import type { TokenProblem } from '../auth/tokens';

/** Every `extensions.code` this service sets. Values equal their names. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  NOT_FOUND = 'NOT_FOUND',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  BAD_REQUEST = 'BAD_REQUEST',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Why a caller who sent something in `Authorization` is not signed in. */
export type UnauthenticatedReason = TokenProblem | 'USER_NOT_FOUND';

/** An error this service raises on purpose; its message and code are safe to show. */
export class ServiceError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'ServiceError';
  }
}

/**
 * The caller must sign in, or sent a token that does not sign them in. Answers HTTP 401
 * with a `WWW-Authenticate` challenge, as RFC 6750 asks; `error="invalid_token"` tells a
 * client that sent a token that this token is the problem.
 */
export class UnauthenticatedError extends ServiceError {
  constructor(reason?: UnauthenticatedReason) {
    const headers = new HeaderMap();
    headers.set('www-authenticate', reason ? 'Bearer error="invalid_token"' : 'Bearer');
    super(messageFor(reason), ErrorCode.UNAUTHENTICATED, {
      ...(reason ? { reason } : {}),
      http: { status: 401, headers },
    });
  }
}

export class ForbiddenError extends ServiceError {
  constructor(message = 'You are not allowed to do this.') {
    super(message, ErrorCode.FORBIDDEN);
  }
}

/** Input that fails a rule of this service; `field` names the offending input field. */
export class BadUserInputError extends ServiceError {
  constructor(field: string, message: string) {
    super(message, ErrorCode.BAD_USER_INPUT, { field });
  }
}

// One message for an unknown email and for a wrong password, so that the answer does not
// tell which accounts exist.
export class InvalidCredentialsError extends ServiceError {
  constructor() {
    super('The email or the password is wrong.', ErrorCode.INVALID_CREDENTIALS);
  }
}

export class EmailTakenError extends ServiceError {
  constructor() {
    super('An account with this "email" already exists.', ErrorCode.EMAIL_TAKEN, {
      field: 'email',
    });
  }
}

export class NotFoundError extends ServiceError {
  constructor(what: string) {
    super(`No ${what} has this "id".`, ErrorCode.NOT_FOUND);
  }
}

function messageFor(reason: UnauthenticatedReason | undefined): string {
  switch (reason) {
    case undefined:
      return 'You must sign in: send "Authorization: Bearer <token>".';
    case 'TOKEN_EXPIRED':
      return 'The token has expired: log in again.';
    case 'TOKEN_INVALID':
      return 'The token is not valid: log in again.';
    case 'USER_NOT_FOUND':
      return 'The account this token was issued for no longer exists.';
    default:
      return assertNever(reason);
  }
}

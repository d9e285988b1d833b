import { BadUserInputError } from '../graphql/errors';

const MAX_EMAIL_LENGTH = 254;
const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 128;

// NFKC can turn one code point into up to 18; capping the raw input first keeps a huge
// password from costing anything before it is refused.
const MAX_RAW_PASSWORD_LENGTH = MAX_PASSWORD_LENGTH * 18;

// Deliberately loose: one "@" with something on each side and a dot in the domain. The
// only real test of an address is mail reaching it.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Control and formatting characters (NUL, bidi overrides, zero-width marks) have no place
// in an address, and would let two addresses that look the same be two accounts.
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/**
 * Brings an email to one form (Unicode NFC, trimmed, lower-cased), or refuses it with
 * BAD_USER_INPUT naming `email`. NFC makes an accent typed as one code point or as a letter
 * plus a combining mark the same address.
 */
export function normalizeEmail(raw: string): string {
  if (raw.length > MAX_EMAIL_LENGTH * 4) throw emailLengthError();
  const email = raw.normalize('NFC').trim().toLowerCase();
  if (email.length === 0) {
    throw new BadUserInputError('email', 'The "email" must not be empty.');
  }
  if (INVISIBLE.test(email)) {
    throw new BadUserInputError('email', 'The "email" must not contain invisible characters.');
  }
  if (email.length > MAX_EMAIL_LENGTH) throw emailLengthError();
  if (!EMAIL_SHAPE.test(email)) {
    throw new BadUserInputError('email', 'The "email" is not an email address.');
  }
  return email;
}

/**
 * Normalizes a new password to NFKC, the form that is hashed, and checks its length in
 * code points. Never truncates or case-folds: what the user typed is what must match.
 */
export function normalizeNewPassword(raw: string): string {
  if (raw.length > MAX_RAW_PASSWORD_LENGTH) throw passwordLengthError();
  const password = raw.normalize('NFKC');
  const length = countCodePoints(password);
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) throw passwordLengthError();
  return password;
}

/**
 * Normalizes a password given at login. Only the upper bound is enforced, since it is what
 * keeps hashing cheap to refuse; a short password simply fails to match.
 */
export function normalizeLoginPassword(raw: string): string {
  if (raw.length === 0) {
    throw new BadUserInputError('password', 'The "password" must not be empty.');
  }
  if (raw.length > MAX_RAW_PASSWORD_LENGTH) throw passwordLengthError();
  const password = raw.normalize('NFKC');
  if (countCodePoints(password) > MAX_PASSWORD_LENGTH) throw passwordLengthError();
  return password;
}

function emailLengthError(): BadUserInputError {
  return new BadUserInputError(
    'email',
    `The "email" must be at most ${MAX_EMAIL_LENGTH} characters long.`,
  );
}

function passwordLengthError(): BadUserInputError {
  return new BadUserInputError(
    'password',
    `The "password" must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long.`,
  );
}

function countCodePoints(text: string): number {
  return [...text].length;
}

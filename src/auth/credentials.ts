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

/** Trims and lower-cases an email, or refuses it with BAD_USER_INPUT naming `email`. */
export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length === 0) {
    throw new BadUserInputError('email', 'The "email" must not be empty.');
  }
  if (email.length > MAX_EMAIL_LENGTH) {
    throw new BadUserInputError(
      'email',
      `The "email" must be at most ${MAX_EMAIL_LENGTH} characters long.`,
    );
  }
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

function passwordLengthError(): BadUserInputError {
  return new BadUserInputError(
    'password',
    `The "password" must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long.`,
  );
}

function countCodePoints(text: string): number {
  return [...text].length;
}

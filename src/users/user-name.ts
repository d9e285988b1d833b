import { BadUserInputError } from '../graphql/errors';

const MAX_NAME_LENGTH = 100;

// Control characters, and the bidi controls that can make a name display as something it
// is not. Other formatting characters stay allowed: emoji sequences need the zero-width joiner.
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/**
 * Trims a display name; an empty one means no name, as a blank optional form field does.
 * Control and bidi characters are refused, since names are shown to people.
 */
export function normalizeName(raw: string | null): string | null {
  if (raw === null) return null;
  const name = raw.trim();
  if (name === '') return null;
  if ([...name].length > MAX_NAME_LENGTH) {
    throw new BadUserInputError(
      'name',
      `The "name" must be at most ${MAX_NAME_LENGTH} characters long.`,
    );
  }
  if (UNSAFE.test(name)) {
    throw new BadUserInputError(
      'name',
      'The "name" must not contain control or text-direction characters.',
    );
  }
  return name;
}

import { BadUserInputError } from '../graphql/errors';

const MAX_NAME_LENGTH = 100;

/**
 * Trims a display name; an empty one means no name, as a blank optional form field does.
 * Control characters are refused, since names are shown to people.
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
  if (/\p{Cc}/u.test(name)) {
    throw new BadUserInputError('name', 'The "name" must not contain control characters.');
  }
  return name;
}

import { registerEnumType } from 'type-graphql';

import { assertNever } from '../assert-never';

/** What a user may do. Each role holds every right of the roles before it. */
export enum Role {
  USER = 'USER',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, {
  name: 'Role',
  description: 'What a user may do. ADMIN holds every USER right.',
  valuesConfig: {
    USER: { description: 'A signed-up user: may read and change their own account.' },
    ADMIN: { description: 'May also list every user and change roles.' },
  },
});

/** Whether a holder of `held` has every right of `required`. */
export function roleSatisfies(held: Role, required: Role): boolean {
  return rank(held) >= rank(required);
}

/** Narrows a stored or claimed value to a role, or undefined when it is none. */
export function parseRole(value: unknown): Role | undefined {
  return value === Role.USER || value === Role.ADMIN ? value : undefined;
}

function rank(role: Role): number {
  switch (role) {
    case Role.USER:
      return 0;
    case Role.ADMIN:
      return 1;
    default:
      return assertNever(role);
  }
}

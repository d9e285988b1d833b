import { Authorized, Directive, Extensions } from 'type-graphql';

import { Role } from '../users/role';

type FieldOrTypeDecorator = (
  target: object,
  propertyKey?: string | symbol,
  descriptor?: PropertyDescriptor,
) => void;

/** The field extension that marks a field as open to everyone on purpose. */
export const PUBLIC_EXTENSION = 'public';

/**
 * Requires a signed-in caller holding at least `requires`, on a field or on every field of
 * an object type. One decorator both enforces the rule (through type-graphql's
 * authorization and `authChecker`) and prints `@auth` in the schema, so the two cannot
 * drift apart.
 */
export function Auth(requires: Role = Role.USER): FieldOrTypeDecorator {
  const enforce = Authorized<Role>(requires);
  // The directive's default is USER, so the default is printed as a bare `@auth`.
  const print = Directive(requires === Role.USER ? '@auth' : `@auth(requires: ${requires})`);
  return (target, propertyKey, descriptor) => {
    enforce(target, propertyKey as string, descriptor as PropertyDescriptor);
    print(target, propertyKey as string, descriptor as PropertyDescriptor);
  };
}

/**
 * Marks a field as open to every caller, signed in or not, as a decision rather than an
 * oversight. A test fails for any Query or Mutation field that has neither mark.
 */
export function Public(): FieldOrTypeDecorator {
  const mark = Extensions({ [PUBLIC_EXTENSION]: true });
  return (target, propertyKey, descriptor) => {
    mark(target, propertyKey as string, descriptor as PropertyDescriptor);
  };
}

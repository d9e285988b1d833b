import type { AuthCheckerFn } from 'type-graphql';

import type { RequestContext } from '../graphql/context';
import { ForbiddenError } from '../graphql/errors';
import { type Role, roleSatisfies } from '../users/role';

/**
 * Decides every `@Auth` field. It throws the service's own errors rather than returning
 * false, since type-graphql's defaults would answer UNAUTHORIZED to anonymous callers too:
 * here anonymous or badly signed callers are UNAUTHENTICATED (401), and callers whose role
 * is too low are FORBIDDEN.
 */
export const authChecker: AuthCheckerFn<RequestContext, Role> = async ({ context }, roles) => {
  const user = await context.identity.require();
  if (!roles.every((required) => roleSatisfies(user.role, required))) {
    throw new ForbiddenError(`This needs the ${roles.join(', ')} role.`);
  }
  return true;
};

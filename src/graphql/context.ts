import type { IncomingMessage } from 'node:http';

import { identifyCaller } from '../auth/caller';
import { Identity } from '../auth/identity';
import type { TokenService } from '../auth/tokens';
import type { UserService } from '../users/user.service';

/** What every resolver and the auth checker see of the request. */
export interface RequestContext {
  identity: Identity;
}

/**
 * Builds the per-request context. It verifies the token once and never throws, whatever
 * the header holds: a throw here would turn into a 500 for every operation, public ones
 * included, so a bad token is recorded and only fails the fields that need identity.
 */
export function createContextFunction(tokens: TokenService, users: UserService) {
  return async ({ req }: { req: IncomingMessage }): Promise<RequestContext> => {
    // `headers` keeps only the first of repeated Authorization lines; `headersDistinct` has all.
    const caller = identifyCaller(req.headersDistinct.authorization, tokens);
    return { identity: new Identity(caller, users) };
  };
}

import { UnauthenticatedError } from '../graphql/errors';
import type { User } from '../users/user.entity';
import type { UserService } from '../users/user.service';
import { assertNever } from '../assert-never';
import type { Caller } from './caller';

/**
 * The caller of one request, confirmed against the database when a field first needs it.
 * The user row is read at most once per request, and the role that counts is the one it
 * holds now, not the one the token was issued with: a demoted admin loses admin rights on
 * the next request.
 */
export class Identity {
  private row: Promise<User | null> | undefined;

  constructor(
    readonly caller: Caller,
    private readonly users: UserService,
  ) {}

  /**
   * The signed-in user, or null for a caller who sent no `Authorization` header. A header
   * that does not sign anyone in fails here, so that a stale token is never mistaken for
   * an anonymous caller.
   */
  async current(): Promise<User | null> {
    const { caller } = this;
    switch (caller.kind) {
      case 'anonymous':
        return null;
      case 'invalid':
        throw new UnauthenticatedError(caller.problem);
      case 'token': {
        this.row ??= this.users.findById(caller.claims.userId);
        const user = await this.row;
        if (!user) throw new UnauthenticatedError('USER_NOT_FOUND');
        return user;
      }
      default:
        return assertNever(caller);
    }
  }

  /** The signed-in user; anyone else is UNAUTHENTICATED. */
  async require(): Promise<User> {
    const user = await this.current();
    if (!user) throw new UnauthenticatedError();
    return user;
  }
}

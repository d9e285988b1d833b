import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';

import { Auth, Public } from '../auth/auth.decorator';
import type { RequestContext } from '../graphql/context';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from '../graphql/errors';
import { decodeCursor, encodeCursor } from './cursor';
import { Role, roleSatisfies } from './role';
import { UpdateMeInput } from './update-me.input';
import { UserConnection } from './user-connection.type';
import { User } from './user.entity';
import { normalizeName } from './user-name';
import { UserService } from './user.service';

const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly userService: UserService) {}

  @Public()
  @Query(() => User, {
    nullable: true,
    description: 'The signed-in user, or null when no token is sent.',
  })
  me(@Ctx() context: RequestContext): Promise<User | null> {
    return context.identity.current();
  }

  @Auth()
  @Query(() => User, {
    nullable: true,
    description: "One's own account; an ADMIN may read anyone's, and gets null for an unknown id.",
  })
  async user(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<User | null> {
    const viewer = await context.identity.require();
    if (id.toLowerCase() === viewer.id) return viewer;

    // The same answer whether the id exists or not, so a USER cannot probe for accounts.
    if (!roleSatisfies(viewer.role, Role.ADMIN)) {
      throw new ForbiddenError('You may only read your own account.');
    }
    return this.userService.findById(id);
  }

  @Auth(Role.ADMIN)
  @Query(() => UserConnection, {
    description: 'Every user, oldest account first, a page at a time.',
  })
  async users(
    // type-graphql lists arguments last parameter first: this order prints `first, after`.
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
    first: number | null | undefined,
  ): Promise<UserConnection> {
    const size = first ?? DEFAULT_PAGE_SIZE;
    if (size < 0 || size > MAX_PAGE_SIZE) {
      throw new BadUserInputError('first', `The "first" must be from 0 to ${MAX_PAGE_SIZE}.`);
    }
    // An omitted argument arrives as undefined, an explicit null as null: both mean none.
    const cursor = after == null ? undefined : decodeCursor(after);
    if (after != null && cursor === undefined) {
      throw new BadUserInputError('after', 'The "after" cursor is not one this server made.');
    }

    const page = await this.userService.page(size, cursor);
    const edges = page.users.map((node) => ({ cursor: encodeCursor(node), node }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  @Auth()
  @Mutation(() => User, { description: "Changes one's own account." })
  async updateMe(
    @Arg('input', () => UpdateMeInput) input: UpdateMeInput,
    @Ctx() context: RequestContext,
  ): Promise<User> {
    const viewer = await context.identity.require();
    if (input.name === undefined) return viewer;

    const updated = await this.userService.updateName(viewer.id, normalizeName(input.name));
    if (!updated) throw new UnauthenticatedError('USER_NOT_FOUND');
    return updated;
  }

  @Auth(Role.ADMIN)
  @Mutation(() => User, {
    description: 'Gives a user another role. It counts from their next request on.',
  })
  async setUserRole(
    // Listed last parameter first, as for `users`: this prints `id, role`.
    @Arg('role', () => Role) role: Role,
    @Arg('id', () => ID) id: string,
  ): Promise<User> {
    // Not yet: an ADMIN may demote the last ADMIN, themselves included; the operator command
    // (`npm run user -- set-role`) is then the way back. Refusing it needs a count taken in
    // the same transaction as the update, to hold when two admins demote each other at once.
    const user = await this.userService.setRole(id, role);
    if (!user) throw new NotFoundError('user');
    return user;
  }
}

import { Field, Int, ObjectType } from 'type-graphql';

import { Auth } from '../auth/auth.decorator';
import { Role } from './role';
import { User } from './user.entity';

@ObjectType({
  description: 'A user and the cursor that points just after them.',
  simpleResolvers: true,
})
export class UserEdge {
  @Field(() => String, { description: 'Pass as `after` to get the users that follow.' })
  cursor!: string;

  @Field(() => User)
  node!: User;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the last edge, if any.' })
  endCursor!: string | null;
}

@Auth(Role.ADMIN)
@ObjectType({ description: 'One page of users, oldest account first.' })
export class UserConnection {
  @Field(() => [UserEdge])
  edges!: UserEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'How many users there are in all.' })
  totalCount!: number;
}

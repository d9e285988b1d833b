import { Field, ObjectType } from 'type-graphql';

import { User } from '../users/user.entity';

@ObjectType({ description: 'A signed access token and the account it was issued for.' })
export class AuthPayload {
  @Field(() => String, {
    description: 'A JWT to send as "Authorization: Bearer <token>"; it expires after a while.',
  })
  token!: string;

  @Field(() => User)
  user!: User;
}

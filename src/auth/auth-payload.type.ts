import { Field, ObjectType } from 'type-graphql';

import { User } from '../users/user.entity';

@ObjectType({
  description: 'A signed access token and the account it was issued for.',
  simpleResolvers: true,
})
export class AuthPayload {
  @Field(() => String, {
    description: 'A JWT to send as "Authorization: Bearer <token>".',
  })
  token!: string;

  @Field(() => Date, {
    description: 'When the token expires, in UTC: log in again before then.',
  })
  expiresAt!: Date;

  @Field(() => User)
  user!: User;
}

import { Field, InputType } from 'type-graphql';

@InputType({ description: 'The credentials of an existing account.' })
export class LoginInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

import { Field, InputType } from 'type-graphql';

@InputType({ description: 'What a new account needs.' })
export class SignupInput {
  @Field(() => String, { description: 'Trimmed and lower-cased; at most 254 characters.' })
  email!: string;

  @Field(() => String, {
    description: '8 to 128 characters, counted after Unicode NFKC normalization.',
  })
  password!: string;

  @Field(() => String, { nullable: true, description: 'A display name, at most 100 characters.' })
  name?: string | null;
}

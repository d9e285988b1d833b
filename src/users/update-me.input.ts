import { Field, InputType } from 'type-graphql';

@InputType({ description: "Changes to one's own account. An omitted field is left as it is." })
export class UpdateMeInput {
  @Field(() => String, { nullable: true, description: 'A new display name; null removes it.' })
  name?: string | null;
}

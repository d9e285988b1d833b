import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { DirectiveLocation, GraphQLDirective, GraphQLEnumType, GraphQLSchema } from 'graphql';
import { type ContainerType, buildSchema } from 'type-graphql';

import { authChecker } from '../auth/auth-checker';
import { AuthResolver } from '../auth/auth.resolver';
import { Role } from '../users/role';
import { UserResolver } from '../users/user.resolver';

/** The resolver classes that make up the schema. */
const RESOLVERS = [AuthResolver, UserResolver] as const;

/**
 * Builds the executable schema. `container` hands type-graphql the resolver instances;
 * printing the schema needs none.
 */
export async function buildAppSchema(container?: ContainerType): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    authMode: 'error',
    validate: false,
    container,
  });
  return withAuthDirective(schema);
}

/** The SDL that clients, explorers and codegen read: types and applied directives. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(schema)}\n`;
}

// The `@auth` definition is added once the schema is built, so that its argument can be the
// schema's own Role enum; a second Role type would clash with it.
function withAuthDirective(schema: GraphQLSchema): GraphQLSchema {
  const role = schema.getType('Role');
  if (!(role instanceof GraphQLEnumType)) throw new Error('The schema has no Role enum.');

  const auth = new GraphQLDirective({
    name: 'auth',
    description:
      'Needs a signed-in caller holding at least this role; on a type, every field of the type does.',
    locations: [DirectiveLocation.OBJECT, DirectiveLocation.FIELD_DEFINITION],
    args: { requires: { type: role, defaultValue: Role.USER } },
  });
  const config = schema.toConfig();
  return new GraphQLSchema({ ...config, directives: [...config.directives, auth] });
}

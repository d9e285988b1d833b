import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  buildSchema as buildSchemaFromSdl,
  type GraphQLEnumType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
} from 'graphql';

import { PUBLIC_EXTENSION } from '../../src/auth/auth.decorator';
import { buildAppSchema, printAppSchema } from '../../src/graphql/schema';
import { Role } from '../../src/users/role';
import { codes, graphql } from '../helpers/graphql';
import { createUser, type CreatedUser } from '../helpers/factories';
import { startTestServer, type TestServer } from '../helpers/server';

const SCHEMA_FILE = join(__dirname, '..', '..', 'schema.graphql');
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

// One operation per root field, so that each can be called as every kind of caller; SELF
// stands for the caller's own id, EMAIL for a new address. A field added to the schema
// without an entry here fails the coverage test below.
const OPERATIONS: Record<string, string> = {
  'Query.me': '{ me { id } }',
  'Query.user': '{ user(id: "SELF") { id } }',
  'Query.users':
    '{ users(first: 1) { totalCount edges { node { id } } pageInfo { hasNextPage } } }',
  'Mutation.signup': `mutation { signup(input: { email: "EMAIL", password: "long-enough" }) { token } }`,
  'Mutation.login': `mutation { login(input: { email: "nobody@example.test", password: "long-enough" }) { token } }`,
  'Mutation.updateMe': 'mutation { updateMe(input: {}) { id } }',
  'Mutation.setUserRole': `mutation { setUserRole(id: "${UNKNOWN_ID}", role: USER) { id } }`,
};

let server: TestServer;
let schema: GraphQLSchema;
let printed: GraphQLSchema;

beforeAll(async () => {
  server = await startTestServer();
  schema = await buildAppSchema();
  printed = buildSchemaFromSdl(readFileSync(SCHEMA_FILE, 'utf8'));
});

afterAll(async () => {
  await server.stop();
});

describe('the printed schema', () => {
  it('matches schema.graphql (run `npm run schema` after changing the schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printAppSchema(schema));
  });

  it("declares @auth with the schema's own Role as its argument", () => {
    const auth = printed.getDirective('auth');
    expect(auth?.locations).toEqual(['OBJECT', 'FIELD_DEFINITION']);
    const requires = auth?.args.find((arg) => arg.name === 'requires');
    expect(requires?.type).toBe(printed.getType('Role'));
    expect(requires?.defaultValue).toBe('USER');
    expect(
      (printed.getType('Role') as GraphQLEnumType).getValues().map((value) => value.name),
    ).toEqual(['USER', 'ADMIN']);
  });

  it('has no field that could expose a password or its hash', () => {
    const names = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .flatMap((type) => Object.keys(type.getFields()));
    expect(names.filter((name) => /password|hash/i.test(name))).toEqual([]);
  });
});

describe('access decisions', () => {
  it('marks every Query and Mutation field either @auth or public, never neither or both', () => {
    const undecided: string[] = [];
    for (const [type, field] of rootFields(schema)) {
      const guarded = authDirective(field) !== undefined;
      const open = field.extensions[PUBLIC_EXTENSION] === true;
      if (guarded === open) undecided.push(`${type.name}.${field.name}`);
    }
    expect(undecided).toEqual([]);
  });

  it('has an operation for every root field of the printed schema', () => {
    const names = rootFields(printed).map(([type, field]) => `${type.name}.${field.name}`);
    expect(names.sort()).toEqual(Object.keys(OPERATIONS).sort());
  });

  describe.each(Object.keys(OPERATIONS))('%s', (name) => {
    let user: CreatedUser;
    let admin: CreatedUser;

    beforeAll(async () => {
      user = await createUser(server);
      admin = await createUser(server, { role: Role.ADMIN });
    });

    // What the printed SDL says the field needs, from the field and from its result type.
    function required(): Role | undefined {
      const [typeName, fieldName] = name.split('.');
      const type = printed.getType(typeName) as GraphQLObjectType;
      const field = type.getFields()[fieldName];
      const levels = [authDirective(field), authDirective(getNamedType(field.type))]
        .filter((node) => node !== undefined)
        .map(requiresOf);
      if (levels.length === 0) return undefined;
      return levels.includes(Role.ADMIN) ? Role.ADMIN : Role.USER;
    }

    function call(caller?: CreatedUser) {
      const query = OPERATIONS[name]
        .replace('SELF', caller?.id ?? UNKNOWN_ID)
        .replace('EMAIL', `schema-${Date.now()}-${Math.random()}@example.test`);
      return graphql(server.url, query, { token: caller?.token });
    }

    it('is enforced for an anonymous caller exactly as printed', async () => {
      const response = await call();
      if (required() === undefined) {
        expect(codes(response)).not.toContain('UNAUTHENTICATED');
        expect(response.status).toBe(200);
      } else {
        expect(codes(response)).toEqual(['UNAUTHENTICATED']);
        expect(response.status).toBe(401);
      }
    });

    it('is enforced for a USER exactly as printed', async () => {
      const response = await call(user);
      if (required() === Role.ADMIN) {
        expect(codes(response)).toEqual(['FORBIDDEN']);
      } else {
        expect(codes(response)).not.toContain('FORBIDDEN');
        expect(codes(response)).not.toContain('UNAUTHENTICATED');
      }
    });

    it('lets an ADMIN through', async () => {
      const response = await call(admin);
      expect(codes(response)).not.toContain('FORBIDDEN');
      expect(codes(response)).not.toContain('UNAUTHENTICATED');
    });
  });
});

function rootFields(target: GraphQLSchema): [GraphQLObjectType, GraphQLField<unknown, unknown>][] {
  return [target.getQueryType(), target.getMutationType()]
    .filter((type) => type !== null && type !== undefined)
    .flatMap((type) => Object.values(type.getFields()).map((field) => [type, field] as const))
    .map(([type, field]) => [type, field]);
}

function authDirective(element: {
  astNode?: { directives?: readonly ConstDirectiveNode[] } | null;
}): ConstDirectiveNode | undefined {
  return element.astNode?.directives?.find((directive) => directive.name.value === 'auth');
}

// A bare `@auth` takes the directive's default, USER.
function requiresOf(directive: ConstDirectiveNode): Role {
  const argument = directive.arguments?.find((arg) => arg.name.value === 'requires');
  if (argument === undefined) return Role.USER;
  if (argument.value.kind !== Kind.ENUM) throw new Error('requires must be a Role value');
  return argument.value.value as Role;
}

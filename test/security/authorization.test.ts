import { randomUUID } from 'node:crypto';

import { Role } from '../../src/users/role';
import { type CreatedUser, createUser } from '../helpers/factories';
import { codes, graphql, type GraphQLResponse } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';
import { readClaims, signWithHmac, validClaims } from '../helpers/tokens';
import { expectForbidden, expectNoInternals } from './expectations';

const ME = '{ me { id role } }';
const USERS = '{ users { totalCount } }';
const SET_ROLE = 'mutation ($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id } }';

interface Attempt {
  title: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

// Ways to ask for `users`. A USER must get FORBIDDEN from each; an ADMIN gets data from
// each, which shows that every document is valid and reaches the field.
const USERS_ATTEMPTS: Attempt[] = [
  { title: 'directly', query: '{ users { totalCount } }' },
  {
    title: 'under aliases',
    query: '{ a: users { totalCount } b: users(first: 1) { edges { node { email } } } }',
  },
  {
    title: 'through an inline fragment on Query',
    query: '{ ... on Query { users { totalCount } } }',
  },
  {
    title: 'through a named fragment on Query',
    query: 'query { ...Everyone } fragment Everyone on Query { users { totalCount } }',
  },
  {
    title: 'through nested named fragments on UserConnection and User',
    query: `{ users { ...Page } }
      fragment Page on UserConnection { totalCount edges { node { ...Person } } }
      fragment Person on User { id email role }`,
  },
  {
    title: 'with every nested field selected',
    query: `{ users(first: 100) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id email name role createdAt } }
    } }`,
  },
  { title: 'selecting only __typename', query: '{ users { __typename } }' },
  { title: 'beside the root __typename', query: '{ __typename users { totalCount } }' },
  {
    title: 'with __typename inside fragments',
    query:
      '{ __typename ... on Query { __typename users { __typename ... on UserConnection { totalCount } } } }',
  },
  {
    title: 'under @include(if: true) from a variable',
    query: 'query ($yes: Boolean!) { users @include(if: $yes) { totalCount } }',
    variables: { yes: true },
  },
  { title: 'under @skip(if: false)', query: '{ users @skip(if: false) { totalCount } }' },
  {
    title: 'as the chosen operation of a document with a harmless one',
    query: 'query Mine { me { id } } query Everyone { users { totalCount } }',
    operationName: 'Everyone',
  },
  {
    title: 'beside introspection',
    query: '{ __schema { queryType { name } } users { totalCount } }',
  },
  { title: "beside the caller's own account", query: '{ me { id } users { totalCount } }' },
];

// Ways to call `setUserRole(id: $id, role: ADMIN)`.
const SET_ROLE_ATTEMPTS: Attempt[] = [
  {
    title: 'directly',
    query: 'mutation ($id: ID!) { setUserRole(id: $id, role: ADMIN) { id role } }',
  },
  {
    title: 'under an alias',
    query: 'mutation ($id: ID!) { promote: setUserRole(id: $id, role: ADMIN) { id } }',
  },
  {
    title: 'through an inline fragment on Mutation',
    query: 'mutation ($id: ID!) { ... on Mutation { setUserRole(id: $id, role: ADMIN) { id } } }',
  },
  {
    title: 'through a named fragment on Mutation',
    query: `mutation ($id: ID!) { ...Promote }
      fragment Promote on Mutation { setUserRole(id: $id, role: ADMIN) { id } }`,
  },
  {
    title: 'with __typename around it',
    query: 'mutation ($id: ID!) { __typename setUserRole(id: $id, role: ADMIN) { __typename } }',
  },
  {
    title: 'with the role from a variable',
    query: 'mutation ($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id } }',
    variables: { role: 'ADMIN' },
  },
  {
    title: 'after a mutation the caller may run',
    query: `mutation ($id: ID!) {
      updateMe(input: { name: "Climber" }) { id }
      setUserRole(id: $id, role: ADMIN) { id }
    }`,
  },
  {
    title: 'as the chosen operation of a document with a harmless one',
    query: `query Mine { me { id } }
      mutation Climb($id: ID!) { setUserRole(id: $id, role: ADMIN) { id } }`,
    operationName: 'Climb',
  },
];

let server: TestServer;
let admin: CreatedUser;
let user: CreatedUser;
let other: CreatedUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await createUser(server, { role: Role.ADMIN });
  user = await createUser(server);
  other = await createUser(server);
});

afterAll(async () => {
  await server.stop();
});

// Sent with fetch rather than `graphql()`, since some documents need an operationName.
async function send(
  caller: CreatedUser,
  { query, variables, operationName }: Attempt,
  extraVariables: Record<string, unknown> = {},
): Promise<GraphQLResponse<unknown>> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}` },
    body: JSON.stringify({ query, operationName, variables: { ...variables, ...extraVariables } }),
  });
  const body = (await response.json()) as Pick<GraphQLResponse<unknown>, 'data' | 'errors'>;
  return { status: response.status, headers: response.headers, ...body };
}

describe('users', () => {
  it.each(USERS_ATTEMPTS)('is FORBIDDEN to a USER asking $title', async (request) => {
    const response = await send(user, request);

    expectForbidden(response);
    expect(JSON.stringify(response)).not.toContain(admin.email);
    expect(JSON.stringify(response)).not.toContain('totalCount');
  });

  it.each(USERS_ATTEMPTS)('answers an ADMIN asking $title (the control)', async (request) => {
    const response = await send(admin, request);

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(JSON.stringify(response.data)).toMatch(/"totalCount":\d+|"UserConnection"/);
  });

  it('is FORBIDDEN to a USER however many aliases ask for it', async () => {
    const aliases = Array.from({ length: 200 }, (_, index) => `u${index}: users { totalCount }`);
    const response = await graphql(server.url, `{ ${aliases.join(' ')} }`, {
      token: user.token,
    });

    expectForbidden(response);
  });
});

describe('setUserRole', () => {
  it.each(SET_ROLE_ATTEMPTS)(
    'is FORBIDDEN to a USER promoting themselves $title, and changes nothing',
    async (request) => {
      const response = await send(user, request, { id: user.id });

      expectForbidden(response);
      expect((await server.users.findById(user.id))?.role).toBe(Role.USER);
    },
  );

  it.each(SET_ROLE_ATTEMPTS)(
    'lets an ADMIN promote someone $title (the control)',
    async (request) => {
      const target = await createUser(server);
      const response = await send(admin, request, { id: target.id });

      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect((await server.users.findById(target.id))?.role).toBe(Role.ADMIN);
    },
  );

  it('is NOT_FOUND for an ADMIN naming an unknown id', async () => {
    for (const id of [randomUUID(), 'not-an-id']) {
      const response = await graphql(
        server.url,
        'mutation ($id: ID!) { setUserRole(id: $id, role: ADMIN) { id } }',
        { token: admin.token, variables: { id } },
      );

      expect(codes(response)).toEqual(['NOT_FOUND']);
      expect(response.data ?? null).toBeNull();
      expectNoInternals(response);
    }
  });
});

describe('user(id:)', () => {
  const USER_BY_ID = 'query ($id: ID!) { user(id: $id) { id email role } }';

  function someoneElse(): Record<string, () => string> {
    return {
      'an existing account': () => other.id,
      "an existing account's id in capitals": () => other.id.toUpperCase(),
      "an admin's account": () => admin.id,
      'an unknown UUID': () => randomUUID(),
      'a malformed id': () => 'not-an-id',
      'an empty id': () => '',
      'an SQL fragment': () => "' OR '1'='1",
      'a very long id': () => 'f'.repeat(5000),
    };
  }

  it.each(Object.entries(someoneElse()))(
    'is FORBIDDEN to a USER asking for %s, with the same answer every time',
    async (_label, id) => {
      const response = await graphql(server.url, USER_BY_ID, {
        token: user.token,
        variables: { id: id() },
      });
      const reference = await graphql(server.url, USER_BY_ID, {
        token: user.token,
        variables: { id: other.id },
      });

      expectForbidden(response, { user: null });
      expect(response.status).toBe(reference.status);
      expect(response.errors).toEqual(reference.errors);
    },
  );

  it('answers a USER asking for their own account, in any letter case', async () => {
    for (const id of [user.id, user.id.toUpperCase()]) {
      const response = await graphql(server.url, USER_BY_ID, {
        token: user.token,
        variables: { id },
      });

      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ user: { id: user.id, email: user.email, role: 'USER' } });
    }
  });

  it('leaks nothing of another account when a USER asks for it beside their own', async () => {
    const response = await graphql(
      server.url,
      'query ($mine: ID!, $theirs: ID!) { mine: user(id: $mine) { id } theirs: user(id: $theirs) { id email } }',
      { token: user.token, variables: { mine: user.id, theirs: other.id } },
    );

    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.data).toEqual({ mine: { id: user.id }, theirs: null });
    expect(JSON.stringify(response)).not.toContain(other.email);
  });

  it("gives an ADMIN anyone's account", async () => {
    const response = await graphql(server.url, USER_BY_ID, {
      token: admin.token,
      variables: { id: other.id },
    });

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ user: { id: other.id, email: other.email, role: 'USER' } });
  });

  it.each([
    ['an unknown UUID', () => randomUUID()],
    ['a malformed id', () => 'not-an-id'],
    ['an SQL fragment', () => "' OR '1'='1"],
    ['a very long id', () => 'f'.repeat(5000)],
  ])('gives an ADMIN null for %s', async (_label, id) => {
    const response = await graphql(server.url, USER_BY_ID, {
      token: admin.token,
      variables: { id: id() },
    });

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ user: null });
  });
});

describe('the role that counts', () => {
  it('is the database one: a USER whose well-signed token claims ADMIN stays a USER', async () => {
    const user = await createUser(server);
    const claimsAdmin = signWithHmac(validClaims(user.id, { role: 'ADMIN' }));

    // The token itself is good: it signs the user in.
    const me = await graphql(server.url, ME, { token: claimsAdmin });
    expect(me.data).toEqual({ me: { id: user.id, role: 'USER' } });

    expectForbidden(await graphql(server.url, USERS, { token: claimsAdmin }));
    const promote = await graphql(server.url, SET_ROLE, {
      token: claimsAdmin,
      variables: { id: user.id, role: 'ADMIN' },
    });
    expectForbidden(promote);
    expect((await server.users.findById(user.id))?.role).toBe(Role.USER);
  });

  it('is read again on the very next request after an ADMIN is demoted', async () => {
    const admin = await createUser(server, { role: Role.ADMIN });
    const before = await graphql(server.url, USERS, { token: admin.token });
    expect(before.errors).toBeUndefined();

    await server.users.setRole(admin.id, Role.USER);

    expectForbidden(await graphql(server.url, USERS, { token: admin.token }));
    const me = await graphql(server.url, ME, { token: admin.token });
    expect(me.data).toEqual({ me: { id: admin.id, role: 'USER' } });
  });

  it('is read again on the very next request after a USER is promoted', async () => {
    const user = await createUser(server);
    expectForbidden(await graphql(server.url, USERS, { token: user.token }));

    await server.users.setRole(user.id, Role.ADMIN);

    const after = await graphql(server.url, USERS, { token: user.token });
    expect(after.status).toBe(200);
    expect(after.errors).toBeUndefined();
    expect(readClaims(user.token).role).toBe('USER');
  });

  it('follows a demotion made through setUserRole by another ADMIN', async () => {
    const judge = await createUser(server, { role: Role.ADMIN });
    const demoted = await createUser(server, { role: Role.ADMIN });
    const target = await createUser(server);

    const demotion = await graphql(server.url, SET_ROLE, {
      token: judge.token,
      variables: { id: demoted.id, role: 'USER' },
    });
    expect(demotion.errors).toBeUndefined();

    const attempt = await graphql(server.url, SET_ROLE, {
      token: demoted.token,
      variables: { id: target.id, role: 'ADMIN' },
    });
    expectForbidden(attempt);
    expect((await server.users.findById(target.id))?.role).toBe(Role.USER);

    const peek = await graphql(server.url, 'query ($id: ID!) { user(id: $id) { id } }', {
      token: demoted.token,
      variables: { id: judge.id },
    });
    expect(codes(peek)).toEqual(['FORBIDDEN']);
    expect(peek.data).toEqual({ user: null });
  });
});

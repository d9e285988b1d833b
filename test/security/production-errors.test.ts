import { createUser, type CreatedUser, uniqueEmail } from '../helpers/factories';
import { codes, graphql, type GraphQLResponse } from '../helpers/graphql';
import { startTestServer, type TestServer } from '../helpers/server';
import { expectNoInternals } from './expectations';
import { rawRequest } from './raw-request';

// Production refuses argon2 parameters below the OWASP floor, so these are the floor.
const PRODUCTION = {
  NODE_ENV: 'production',
  ARGON2_MEMORY_KIB: '19456',
  ARGON2_TIME_COST: '2',
  ARGON2_PARALLELISM: '1',
};

// Text that would tell an attacker about the database behind the service.
const DATABASE_TEXT = /select|insert|from|table|users|sqlite|mysql|maria|query|no such|exist/i;

let server: TestServer;
let user: CreatedUser;

beforeAll(async () => {
  server = await startTestServer({ env: PRODUCTION });
  user = await createUser(server);
});

afterAll(async () => {
  await server.stop();
});

// The one error of a response, which must be a masked INTERNAL_SERVER_ERROR.
function maskedError(response: GraphQLResponse<unknown>): { message: string } {
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors ?? [];
  expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  expect(error.message).not.toMatch(DATABASE_TEXT);
  expectNoInternals(response);
  return { message: error.message };
}

describe('in production', () => {
  it('masks a database failure as INTERNAL_SERVER_ERROR with one generic message', async () => {
    // The control: the same token and credentials work while the database is whole.
    const before = await graphql(server.url, '{ me { id } }', { token: user.token });
    expect(before.data).toEqual({ me: { id: user.id } });

    await server.dataSource.query('ALTER TABLE users RENAME TO users_elsewhere');
    try {
      const me = await graphql(server.url, '{ me { id } }', { token: user.token });
      const login = await graphql(
        server.url,
        'mutation ($input: LoginInput!) { login(input: $input) { token } }',
        { variables: { input: { email: user.email, password: user.password } } },
      );
      const signup = await graphql(
        server.url,
        'mutation ($input: SignupInput!) { signup(input: $input) { token } }',
        {
          variables: { input: { email: uniqueEmail('prod'), password: 'a long enough password' } },
        },
      );

      const messages = [me, login, signup].map((response) => maskedError(response).message);
      expect(new Set(messages).size).toBe(1);
      expect(me.data).toEqual({ me: null });
    } finally {
      await server.dataSource.query('ALTER TABLE users_elsewhere RENAME TO users');
    }
  });

  it('answers a broken document without a stack trace', async () => {
    const broken = [
      '{ me { id }',
      '{ me { passwordHash } }',
      'query ($id: ID!) { user(id: $id) { id } }',
    ];
    for (const query of broken) {
      const response = await graphql(server.url, query, { token: user.token });

      expect(response.status).toBe(400);
      expect(codes(response)).toEqual([expect.stringMatching(/^(GRAPHQL_|BAD_USER_INPUT)/)]);
      expectNoInternals(response);
    }
  });

  it('answers malformed and oversized bodies with JSON and no stack', async () => {
    const malformed = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    const oversized = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'x'.repeat(120 * 1024) }),
    });

    expect(malformed.status).toBe(400);
    expect(oversized.status).toBe(413);
    expect(codes(oversized)).toEqual(['PAYLOAD_TOO_LARGE']);
    for (const response of [malformed, oversized]) {
      expect(response.contentType).toMatch(/^application\/json/);
      expectNoInternals(response);
    }
  });
});
